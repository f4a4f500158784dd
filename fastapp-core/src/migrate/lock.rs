//! Serialises concurrent migration runners: a PostgreSQL session-level
//! advisory lock, or an exclusive OS lock (`flock`) on a file beside the
//! SQLite database. Diesel has no lock of its own.
//!
//! Both die with their holder (a killed client's session ends; the kernel
//! drops a dead process's `flock`), so a crash never leaves a stale lock.
//! A runner waits at most `wait` (the `migrate_lock_timeout` setting), then
//! fails with `migration.E052` naming the holder: PostgreSQL's pid,
//! application name and since when (from `pg_stat_activity`), or the pid
//! the holder wrote into the lock file. The lock is taken outside any
//! transaction, so `CREATE INDEX CONCURRENTLY` cannot deadlock on it.

use std::io::{Read, Seek, Write};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::sql_types::{BigInt, Bool, Text};
use diesel::{QueryableByName, RunQueryDsl};

use crate::db::{Backend, DbConnection};
use crate::{Error, Finding};

/// The advisory-lock key: "fastapp" in ASCII.
const PG_LOCK_KEY: i64 = 0x0066_6173_7461_7070;

/// How often a waiting runner tries again.
const POLL: Duration = Duration::from_millis(200);

/// Runs `work` while holding the migration lock for `url`; another runner
/// waits up to `wait` for it, then fails with `migration.E052`.
///
/// ```
/// use std::time::Duration;
/// use fastapp_core::{db, migrate};
///
/// let dir = tempfile::tempdir().unwrap();
/// let url = dir.path().join("app.db").display().to_string();
/// let (mut first, mut second) = (db::connect(&url).unwrap(), db::connect(&url).unwrap());
/// let err = migrate::with_lock(&url, &mut first, Duration::from_secs(5), |_| {
///     // Another runner while this one holds the lock, waiting 0 s.
///     migrate::with_lock(&url, &mut second, Duration::ZERO, |_| Ok(()))
/// })
/// .unwrap_err();
/// assert_eq!(err.findings()[0].id, "migration.E052");
/// // Released: the next runner gets it.
/// assert!(migrate::with_lock(&url, &mut second, Duration::ZERO, |_| Ok(())).is_ok());
/// ```
pub fn with_lock<T>(
    url: &str,
    conn: &mut DbConnection,
    wait: Duration,
    work: impl FnOnce(&mut DbConnection) -> Result<T, Error>,
) -> Result<T, Error> {
    let lock_err =
        |message: String| crate::error::database(url, format!("cannot take the migration lock: {message}"));
    match conn.backend() {
        Backend::Postgres => {
            conn.batch_execute("SET application_name = 'fastapp migrate'")
                .map_err(|err| lock_err(err.to_string()))?;
            let deadline = Instant::now().checked_add(wait);
            while !try_pg_lock(conn).map_err(|err| lock_err(err.to_string()))? {
                if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
                    return Err(held(wait, pg_holder(conn), url));
                }
                std::thread::sleep(POLL);
            }
            let result = work(conn);
            let unlocked = conn.batch_execute(&format!("SELECT pg_advisory_unlock({PG_LOCK_KEY})"));
            let value = result?;
            unlocked.map_err(|err| lock_err(err.to_string()))?;
            Ok(value)
        }
        Backend::Sqlite => {
            let Some(lock_path) = lock_file_of(url) else {
                return work(conn);
            };
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .read(true)
                .write(true)
                .open(&lock_path)
                .map_err(|err| lock_err(format!("{lock_path}: {err}")))?;
            // A wait too long to represent is no deadline at all.
            let deadline = Instant::now().checked_add(wait);
            loop {
                match file.try_lock() {
                    Ok(()) => break,
                    Err(std::fs::TryLockError::WouldBlock) if deadline.is_none_or(|d| Instant::now() < d) => {
                        std::thread::sleep(POLL)
                    }
                    Err(std::fs::TryLockError::WouldBlock) => {
                        let mut pid = String::new();
                        let _ = file.read_to_string(&mut pid);
                        let holder = match pid.trim() {
                            "" => format!("a process holding {lock_path}"),
                            pid => format!("process {pid} (its pid is in {lock_path})"),
                        };
                        return Err(held(wait, holder, url));
                    }
                    Err(std::fs::TryLockError::Error(err)) => {
                        return Err(lock_err(format!("{lock_path}: {err}")));
                    }
                }
            }
            // Who holds it, for a runner that times out waiting.
            let _ = file.set_len(0);
            let _ = file.rewind();
            let _ = write!(file, "{}", std::process::id());
            let _ = file.flush();
            let result = work(conn);
            drop(file);
            result
        }
    }
}

/// The lock file beside a SQLite database, the file SQLite opens for the
/// URL (`file:` URIs decoded as SQLite decodes them: `file:x%2Edb` locks
/// beside `x.db`); `None` for an in-memory or temporary one, which no other
/// runner can see.
fn lock_file_of(url: &str) -> Option<String> {
    crate::database_url::sqlite_file(url)
        .ok()
        .map(|path| format!("{path}.migrate.lock"))
}

#[derive(QueryableByName)]
struct Locked {
    #[diesel(sql_type = Bool)]
    locked: bool,
}

fn try_pg_lock(conn: &mut DbConnection) -> diesel::QueryResult<bool> {
    diesel::sql_query(format!("SELECT pg_try_advisory_lock({PG_LOCK_KEY}) AS locked"))
        .get_result::<Locked>(conn)
        .map(|row| row.locked)
}

#[derive(QueryableByName)]
struct Holder {
    #[diesel(sql_type = BigInt)]
    pid: i64,
    #[diesel(sql_type = Text)]
    application: String,
    #[diesel(sql_type = Text)]
    since: String,
}

/// Who holds the advisory lock, from `pg_locks` and `pg_stat_activity`
/// (advisory locks are per database: another database's runner holds its own).
fn pg_holder(conn: &mut DbConnection) -> String {
    // A bigint advisory key is stored as two 32-bit halves.
    let (high, low) = ((PG_LOCK_KEY >> 32) as u32, PG_LOCK_KEY as u32);
    let sql = format!(
        "SELECT CAST(a.pid AS BIGINT) AS pid, COALESCE(a.application_name, '') AS application, \
         COALESCE(CAST(a.backend_start AS TEXT), '?') AS since \
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid \
         WHERE l.locktype = 'advisory' AND l.granted AND l.classid = {high} AND l.objid = {low} \
         AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) LIMIT 1"
    );
    match diesel::sql_query(sql).get_result::<Holder>(conn) {
        Ok(h) => format!(
            "PostgreSQL backend pid {} (application `{}`, connected since {})",
            h.pid,
            if h.application.is_empty() {
                "?"
            } else {
                &h.application
            },
            h.since
        ),
        Err(_) => "another session (it could not be looked up)".into(),
    }
}

/// `migration.E052`: the lock stayed taken for the whole wait.
fn held(wait: Duration, holder: String, url: &str) -> Error {
    Finding::new(
        "migration.E052",
        format!(
            "another migration run holds the migration lock of {}: {holder}; gave up after {}s",
            crate::database_url::redact_url(url),
            wait.as_secs()
        ),
        "wait for that run to finish (or stop it: a killed runner's lock is released), then run `migrate` again; \
         raise `migrate_lock_timeout` to wait longer",
    )
    .location(crate::database_url::redact_url(url))
    .into()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_holder_writes_its_pid_into_the_sqlite_lock_file() {
        let dir = tempfile::tempdir().unwrap();
        let url = dir.path().join("app.db").display().to_string();
        let mut conn = crate::db::connect(&url).unwrap();
        let seen = super::with_lock(&url, &mut conn, std::time::Duration::from_secs(1), |_| {
            Ok(std::fs::read_to_string(format!("{url}.migrate.lock")).unwrap())
        })
        .unwrap();
        assert_eq!(seen, std::process::id().to_string());
    }

    /// Beside the file SQLite opens, however the URL spells it (`file:x%2Edb`
    /// migrated `x.db` while its lock was `file:x%2Edb.migrate.lock`).
    #[test]
    fn the_lock_sits_beside_the_file_sqlite_opens() {
        use super::lock_file_of;
        assert_eq!(lock_file_of("app.db").as_deref(), Some("app.db.migrate.lock"));
        assert_eq!(
            lock_file_of("sqlite://app.db").as_deref(),
            Some("app.db.migrate.lock")
        );
        assert_eq!(
            lock_file_of("file:x.db?mode=rwc").as_deref(),
            Some("x.db.migrate.lock")
        );
        assert_eq!(lock_file_of("file:x%2Edb").as_deref(), Some("x.db.migrate.lock"));
        assert_eq!(
            lock_file_of("file://localhost/srv/app.db").as_deref(),
            Some("/srv/app.db.migrate.lock")
        );
        assert_eq!(
            lock_file_of("file:///srv/app.db").as_deref(),
            Some("/srv/app.db.migrate.lock")
        );
        for private in [
            ":memory:",
            "file::memory:",
            "file:x?mode=memory",
            "file:",
            "file:?mode=rwc",
        ] {
            assert_eq!(lock_file_of(private), None, "{private}");
        }
    }

    /// `file://localhost/<abs>` migrates and locks (it created the database
    /// and then failed to lock `//localhost/…`).
    #[test]
    fn a_localhost_file_uri_takes_the_lock_beside_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("app.db");
        let url = format!("file://localhost{}", file.display());
        let mut conn = crate::db::connect(&url).unwrap();
        super::with_lock(&url, &mut conn, std::time::Duration::from_secs(1), |_| Ok(())).unwrap();
        assert!(dir.path().join("app.db.migrate.lock").exists());
    }
}
