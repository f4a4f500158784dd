//! The database: a pool of SQLite connections (bundled SQLite, WAL, busy
//! timeout, foreign keys on), handed to handlers through [`AppState`].
//!
//! [`AppState`]: crate::AppState

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};
use diesel::sqlite::SqliteConnection;
use diesel::Connection;

use crate::Error;

/// The connection type apps use.
pub type DbConnection = SqliteConnection;

/// A pool of [`DbConnection`]s.
pub type DbPool = Pool<ConnectionManager<DbConnection>>;

/// Busy timeout for every connection: writers wait instead of failing.
const BUSY_TIMEOUT_MS: u32 = 10_000;

#[derive(Debug)]
struct Pragmas;

impl CustomizeConnection<DbConnection, diesel::r2d2::Error> for Pragmas {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), diesel::r2d2::Error> {
        apply_pragmas(conn).map_err(diesel::r2d2::Error::QueryError)
    }
}

fn apply_pragmas(conn: &mut DbConnection) -> diesel::QueryResult<()> {
    conn.batch_execute(&format!(
        "PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}; PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;"
    ))
}

/// Opens one connection with fastapp's pragmas (used by the migration runner).
///
/// ```
/// let mut conn = fastapp_core::db::connect(":memory:").unwrap();
/// # let _ = &mut conn;
/// ```
pub fn connect(url: &str) -> Result<DbConnection, Error> {
    let mut conn = DbConnection::establish(sqlite_path(url)).map_err(|err| Error::Database {
        url: crate::settings::redact_url(url),
        message: err.to_string(),
    })?;
    apply_pragmas(&mut conn).map_err(|err| Error::Database {
        url: crate::settings::redact_url(url),
        message: err.to_string(),
    })?;
    Ok(conn)
}

/// Builds the pool for `url`.
///
/// ```
/// let pool = fastapp_core::db::pool("file:pool_doc?mode=memory&cache=shared").unwrap();
/// assert!(pool.get().is_ok());
/// ```
pub fn pool(url: &str) -> Result<DbPool, Error> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Err(Error::Database {
            url: crate::settings::redact_url(url),
            message: "this build of fastapp supports SQLite only; PostgreSQL support is not built yet".into(),
        });
    }
    let manager = ConnectionManager::<DbConnection>::new(sqlite_path(url));
    Pool::builder()
        .max_size(8)
        .connection_timeout(Duration::from_secs(30))
        .connection_customizer(Box::new(Pragmas))
        .build(manager)
        .map_err(|err| Error::Database {
            url: crate::settings::redact_url(url),
            message: err.to_string(),
        })
}

/// `sqlite://path` → `path`; anything else unchanged.
fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://").unwrap_or(url)
}
