//! A database that exists only for one command (`makemigrations`): a
//! temporary SQLite file, or a temporary database on the configured
//! PostgreSQL server, removed however the command ends.
//!
//! On PostgreSQL the command holds, for as long as its scratch database
//! lives, the advisory lock `(SCRATCH_KEY, token)` on a connection of its
//! own; the database is named `fastapp_check_<token>_…`. A command killed
//! with `kill -9` leaves its database behind but not its lock, and the
//! next command on that server drops what no live command holds.

use diesel::connection::SimpleConnection;
use diesel::RunQueryDsl;

use crate::db::rows::{Flag, Name};
use crate::db::{self, DbConnection};
use crate::{Error, Finding};

/// The first key of the advisory lock a scratch database's live owner
/// holds (the second is its token); the migration lock and the test kit's
/// use other keys.
const SCRATCH_KEY: i32 = 0x6661_6368; // "fach"

/// Every scratch database's name starts with this.
const PREFIX: &str = "fastapp_check_";

/// A scratch database: dropped (or its file removed) on drop.
pub(super) struct Scratch {
    /// Where the scratch database is.
    pub(super) url: String,
    /// On PostgreSQL: the connection holding the liveness lock (it also
    /// drops the database), and the database's name.
    postgres: Option<(DbConnection, String)>,
}

impl Scratch {
    /// A scratch database on the backend of `configured` (on its server,
    /// for PostgreSQL).
    pub(super) fn create(configured: &str) -> Result<Scratch, Error> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        if db::Backend::of_url(configured) == db::Backend::Sqlite {
            let path = std::env::temp_dir().join(format!("{PREFIX}{}_{nanos}.db", std::process::id()));
            return Ok(Scratch {
                url: path.display().to_string(),
                postgres: None,
            });
        }
        let mut conn = db::connect(configured)?;
        let fail = |err: diesel::result::Error| crate::error::database(configured, err);
        let mut token = random_token(nanos);
        while !diesel::sql_query(format!(
            "SELECT pg_try_advisory_lock({SCRATCH_KEY}, {token}) AS flag"
        ))
        .get_result::<Flag>(&mut conn)
        .map_err(fail)?
        .flag
        {
            token = random_token(token as u32);
        }
        sweep(&mut conn);
        let name = format!("{PREFIX}{token}_{nanos}");
        // template0: nothing added to template1 shows up in the schema.
        let create = format!("CREATE DATABASE \"{name}\" TEMPLATE template0");
        conn.batch_execute(&create).map_err(|err| {
            Error::from(Finding::new(
                "db.E030",
                format!(
                    "cannot create a scratch database on the PostgreSQL server: {}",
                    crate::database_url::scrub(&err.to_string(), configured)
                ),
                "let the configured role create databases (CREATEDB), or run it with a SQLite DATABASE_URL (e.g. DATABASE_URL=scratch.db)",
            ))
        })?;
        Ok(Scratch {
            url: crate::database_url::with_database(configured, &name),
            postgres: Some((conn, name)),
        })
    }
}

/// Drops the scratch databases on the server whose owner's liveness lock
/// no session holds: left by a command that was killed. (Those named by
/// earlier versions, `fastapp_check_<pid>_…`, hold no lock either.)
fn sweep(conn: &mut DbConnection) {
    let Ok(names) = diesel::sql_query(format!(
        "SELECT datname AS name FROM pg_database d \
         WHERE datname ~ '^{PREFIX}[0-9]{{1,10}}_[0-9]+$' AND NOT EXISTS ( \
           SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.objsubid = 2 \
           AND CAST(l.classid AS BIGINT) = {SCRATCH_KEY} \
           AND CAST(l.objid AS BIGINT) = CAST(split_part(d.datname, '_', 3) AS BIGINT))"
    ))
    .load::<Name>(conn) else {
        return;
    };
    for Name { name } in names {
        let dropped = drop_database(conn, &name);
        tracing::info!(database = %name, dropped, "scratch database left by a killed command");
    }
}

/// `DROP DATABASE`, ending its connections where the server can
/// (`WITH (FORCE)` needs PostgreSQL 13; older servers take the plain form).
fn drop_database(conn: &mut DbConnection, name: &str) -> bool {
    [" WITH (FORCE)", ""].iter().any(|force| {
        conn.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\"{force}"))
            .is_ok()
    })
}

/// A positive `i32` from `seed` and this process.
fn random_token(seed: u32) -> i32 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    hasher.write_u32(seed);
    (hasher.finish() & 0x7fff_ffff) as i32
}

/// Removed however the command ends (an error or a panic included).
impl Drop for Scratch {
    fn drop(&mut self) {
        match &mut self.postgres {
            Some((conn, name)) => {
                if !drop_database(conn, name) {
                    fastapp_config::errln!(
                        "warning: could not drop the scratch database `{name}`; the next `makemigrations` on this server drops it"
                    );
                }
            }
            None => {
                for leftover in ["", "-wal", "-shm", "-journal", ".migrate.lock"] {
                    let _ = std::fs::remove_file(format!("{}{leftover}", self.url));
                }
            }
        }
    }
}
