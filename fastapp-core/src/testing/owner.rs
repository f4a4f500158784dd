//! What this test process owns outside itself, marked as alive while it
//! runs, removed when it exits, and swept by the next process if it died.
//!
//! - SQLite: one directory, `fastapp-kit-*` in the temporary directory, with
//!   an `owner.lock` file this process holds locked (`flock`). It holds the
//!   templates and every test database.
//! - PostgreSQL: per server, one connection holding the advisory lock
//!   `(LIVE_KEY, token)`; every database this process creates is named
//!   `fastapp_<kind>_<token>_…`.
//!
//! A process killed with `kill -9` leaves its directory or databases behind,
//! but its lock goes with it: the next process that starts on the same
//! machine or server finds them unlocked and removes them.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, Once, OnceLock};

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::prelude::*;

use crate::db::rows::{Flag, Name};
use crate::Error;

/// The first key of the advisory lock that marks a live test process (the
/// second is its token). Distinct from the migration lock, a one-key lock.
const LIVE_KEY: i32 = 0x6661_7374; // "fast"

/// Every database name the test kit creates starts with this.
pub(crate) const PREFIX: &str = "fastapp_";

/// The kinds of database the test kit names: a test's own, a spare kept
/// for reuse, a template.
const KINDS: [&str; 3] = ["test", "spare", "tpl"];

const DIR_PREFIX: &str = "fastapp-kit-";
const LOCK_FILE: &str = "owner.lock";

static SQLITE_DIR: OnceLock<(PathBuf, File)> = OnceLock::new();

/// This process's directory for SQLite templates and test databases.
pub(crate) fn sqlite_dir() -> Result<&'static Path, Error> {
    static MAKING: Mutex<()> = Mutex::new(());
    if let Some((dir, _)) = SQLITE_DIR.get() {
        return Ok(dir);
    }
    let _making = lock(&MAKING);
    if let Some((dir, _)) = SQLITE_DIR.get() {
        return Ok(dir);
    }
    sweep_sqlite();
    let made = make_sqlite_dir()?;
    on_exit();
    Ok(&SQLITE_DIR.get_or_init(|| made).0)
}

/// Made under another name and renamed once its lock is held, so that no
/// sweeper ever sees it unlocked.
fn make_sqlite_dir() -> Result<(PathBuf, File), Error> {
    let io = |context: &str| {
        let context = context.to_string();
        move |source| Error::Io { context, source }
    };
    let new = tempfile::Builder::new()
        .prefix(".fastapp-kit-new-")
        .tempdir()
        .map_err(io("cannot create the test kit's temporary directory"))?
        .keep();
    let file = File::create(new.join(LOCK_FILE)).map_err(io("cannot create the test kit's lock file"))?;
    file.lock().map_err(io("cannot lock the test kit's lock file"))?;
    let suffix = new
        .file_name()
        .and_then(|name| name.to_str())
        .and_then(|name| name.strip_prefix(".fastapp-kit-new-"))
        .unwrap_or("x")
        .to_string();
    let dir = new.with_file_name(format!("{DIR_PREFIX}{}-{suffix}", std::process::id()));
    std::fs::rename(&new, &dir).map_err(io("cannot name the test kit's temporary directory"))?;
    Ok((dir, file))
}

/// Removes every `fastapp-kit-*` directory whose owner is gone.
fn sweep_sqlite() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_str().is_some_and(|name| name.starts_with(DIR_PREFIX)) {
            continue;
        }
        let dir = entry.path();
        let Ok(file) = File::open(dir.join(LOCK_FILE)) else {
            continue;
        };
        if file.try_lock().is_ok() {
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}

struct Server {
    /// Holds the liveness lock; also runs `CREATE`/`DROP`/`ALTER DATABASE`.
    conn: PgConnection,
    token: i32,
    /// Created by this process and to be dropped at exit.
    databases: Vec<String>,
}

fn servers() -> &'static Mutex<HashMap<String, Server>> {
    static SERVERS: OnceLock<Mutex<HashMap<String, Server>>> = OnceLock::new();
    SERVERS.get_or_init(Mutex::default)
}

/// Runs `work` on this process's connection to `server` (a `postgres://`
/// URL whose user may create databases), which marks the process alive
/// there: made, and what dead processes left on that server swept, on
/// first use. `work` gets the connection and this process's token.
pub(crate) fn on_server<T>(
    server: &str,
    work: impl FnOnce(&mut PgConnection, i32) -> Result<T, Error>,
) -> Result<T, Error> {
    let mut all = lock(servers());
    if !all.contains_key(server) {
        let made = live_on(server)?;
        on_exit();
        all.insert(server.to_string(), made);
    }
    let Some(live) = all.get_mut(server) else {
        unreachable!("inserted above")
    };
    work(&mut live.conn, live.token)
}

/// Notes that this process made `name` on `server`: dropped at exit unless
/// [`forget`] is called first.
pub(crate) fn made(server: &str, name: &str) {
    if let Some(live) = lock(servers()).get_mut(server) {
        live.databases.push(name.to_string());
    }
}

/// `name` was dropped or renamed: nothing to drop for it at exit.
pub(crate) fn forget(server: &str, name: &str) {
    if let Some(live) = lock(servers()).get_mut(server) {
        live.databases.retain(|made| made != name);
    }
}

fn live_on(server: &str) -> Result<Server, Error> {
    let fail = |err: &dyn std::fmt::Display| crate::error::database(server, err);
    let mut conn = PgConnection::establish(server).map_err(|err| fail(&err))?;
    conn.batch_execute("SET application_name = 'fastapp test kit'")
        .map_err(|err| fail(&err))?;
    let mut token = random_token();
    while !try_lock(&mut conn, token).map_err(|err| fail(&err))? {
        token = random_token();
    }
    sweep_postgres(&mut conn, token);
    Ok(Server {
        conn,
        token,
        databases: Vec::new(),
    })
}

fn try_lock(conn: &mut PgConnection, token: i32) -> QueryResult<bool> {
    diesel::sql_query(format!(
        "SELECT pg_try_advisory_lock({LIVE_KEY}, {token}) AS flag"
    ))
    .get_result::<Flag>(conn)
    .map(|row| row.flag)
}

/// A positive `i32` no other live process on the server holds (checked by
/// the caller, which takes its lock).
fn random_token() -> i32 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    (hasher.finish() & 0x7fff_ffff) as i32
}

/// The token in `fastapp_<kind>_<token>_…`, for the names the kit makes.
fn token_of(name: &str) -> Option<i32> {
    let rest = name.strip_prefix(PREFIX)?;
    let (kind, rest) = rest.split_once('_')?;
    if !KINDS.contains(&kind) {
        return None;
    }
    rest.split('_').next()?.parse().ok()
}

/// Drops the databases whose owner's lock is free: left by a dead process.
fn sweep_postgres(conn: &mut PgConnection, own: i32) {
    let Ok(names) = diesel::sql_query(format!(
        "SELECT datname AS name FROM pg_database WHERE datname LIKE '{PREFIX}%'"
    ))
    .load::<Name>(conn) else {
        return;
    };
    let mut dead: HashMap<i32, bool> = HashMap::new();
    for Name { name } in names {
        let Some(token) = token_of(&name).filter(|token| *token != own) else {
            continue;
        };
        let gone = *dead.entry(token).or_insert_with(|| {
            let free = try_lock(conn, token).unwrap_or(false);
            if free {
                let _ = conn.batch_execute(&format!("SELECT pg_advisory_unlock({LIVE_KEY}, {token})"));
            }
            free
        });
        if gone {
            let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
        }
    }
}

/// Registers the clean-up that runs when the process exits (the test
/// harness ends with `exit`, which runs `atexit` handlers).
fn on_exit() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: `at_exit` is an `extern "C" fn()` that never unwinds.
        unsafe {
            libc::atexit(at_exit);
        }
    });
}

extern "C" fn at_exit() {
    let _ = std::panic::catch_unwind(|| {
        // `try_lock`: a thread stopped while holding it must not hang the
        // exit (what is left is swept by the next process).
        if let Ok(mut all) = servers().try_lock() {
            for live in all.values_mut() {
                for name in live.databases.drain(..) {
                    let _ = live
                        .conn
                        .batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
                }
            }
        }
        remove_sqlite_dir();
    });
}

fn remove_sqlite_dir() {
    if let Some((dir, _)) = SQLITE_DIR.get() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::token_of;

    #[test]
    fn reads_the_token_of_the_names_the_kit_makes_only() {
        assert_eq!(token_of("fastapp_test_12_3"), Some(12));
        assert_eq!(token_of("fastapp_tpl_7_ab12"), Some(7));
        assert_eq!(token_of("fastapp_spare_9_1"), Some(9));
        assert_eq!(token_of("fastapp_check_1_2"), None);
        assert_eq!(token_of("fastapp_test_x_1"), None);
        assert_eq!(token_of("postgres"), None);
    }
}
