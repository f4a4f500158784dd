//! Serialises concurrent migration runners: a PostgreSQL advisory lock on
//! the runner's own session, or an exclusive OS lock on a file beside the
//! SQLite database. Diesel has no lock of its own.

use diesel::connection::SimpleConnection;

use crate::db::{Backend, DbConnection};
use crate::Error;

/// The advisory-lock key: "fastapp" in ASCII.
const PG_LOCK_KEY: i64 = 0x0066_6173_7461_7070;

/// Runs `work` while holding the migration lock for `url`; other runners
/// wait until it returns.
pub fn with_lock<T>(
    url: &str,
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection) -> Result<T, Error>,
) -> Result<T, Error> {
    let lock_err =
        |message: String| crate::error::database(url, format!("cannot take the migration lock: {message}"));
    match conn.backend() {
        Backend::Postgres => {
            conn.batch_execute(&format!("SELECT pg_advisory_lock({PG_LOCK_KEY})"))
                .map_err(|err| lock_err(err.to_string()))?;
            let result = work(conn);
            let unlocked = conn.batch_execute(&format!("SELECT pg_advisory_unlock({PG_LOCK_KEY})"));
            let value = result?;
            unlocked.map_err(|err| lock_err(err.to_string()))?;
            Ok(value)
        }
        Backend::Sqlite => {
            // `file:` URLs name a file too (their query is for SQLite).
            let path = url.strip_prefix("sqlite://").unwrap_or(url);
            let path = path
                .strip_prefix("file:")
                .map_or(path, |rest| rest.split('?').next().unwrap_or(rest));
            if path == ":memory:" || path.is_empty() {
                return work(conn);
            }
            let lock_path = format!("{path}.migrate.lock");
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&lock_path)
                .map_err(|err| lock_err(format!("{lock_path}: {err}")))?;
            file.lock()
                .map_err(|err| lock_err(format!("{lock_path}: {err}")))?;
            let result = work(conn);
            drop(file);
            result
        }
    }
}
