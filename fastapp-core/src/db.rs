//! The database: SQLite (bundled; WAL, busy timeout, foreign keys on) by
//! default, PostgreSQL for `postgres://` URLs, behind one connection type and
//! one pool, handed to handlers through [`AppState`](crate::AppState).

use std::time::Duration;

#[cfg(feature = "sqlite")]
use diesel::connection::SimpleConnection;
#[cfg(feature = "postgres")]
use diesel::pg::PgConnection;
use diesel::r2d2::{ManageConnection, Pool, R2D2Connection};
#[cfg(feature = "sqlite")]
use diesel::sqlite::SqliteConnection;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
use diesel::Connection;

#[cfg(not(any(feature = "sqlite", feature = "postgres")))]
compile_error!("fastapp-core needs a database backend: turn on its feature `sqlite`, `postgres`, or both");

use crate::Error;

pub(crate) use crate::database_url::sqlite_file;
pub use crate::database_url::{check_url, Backend};
pub use multi::{DbBackend, DbConnection};

mod multi {
    // The derive generates undocumented items of its own.
    #![allow(missing_docs)]

    /// The connection type apps use: SQLite or PostgreSQL, picked from the
    /// database URL at start-up. Diesel queries written against it run on
    /// both (except what diesel's `MultiConnection` cannot express: batch
    /// inserts, `on_conflict`, `returning(X::as_returning())` — write
    /// `returning(Model::COLUMNS)`, which `#[model]` defines: the model's own
    /// columns, so a column added to the table later breaks nothing).
    ///
    /// ```
    /// use diesel::{sql_types::Integer, RunQueryDsl};
    /// let mut conn = fastapp_core::db::connect(":memory:").unwrap();
    /// let two: i32 = diesel::select(diesel::dsl::sql::<Integer>("1 + 1")).get_result(&mut conn).unwrap();
    /// assert_eq!(two, 2);
    /// assert!(matches!(conn, fastapp_core::db::DbConnection::Sqlite(_)));
    /// ```
    #[derive(diesel::MultiConnection)]
    pub enum DbConnection {
        /// A bundled-SQLite connection (the default; feature `sqlite`).
        #[cfg(feature = "sqlite")]
        Sqlite(diesel::sqlite::SqliteConnection),
        /// A PostgreSQL connection (`postgres://` URLs; feature `postgres`).
        #[cfg(feature = "postgres")]
        Postgres(diesel::pg::PgConnection),
    }

    /// The backend of [`DbConnection`], for code generic over queries.
    ///
    /// ```
    /// use diesel::prelude::*;
    ///
    /// diesel::table! { notes (id) { id -> Integer, body -> Text } }
    ///
    /// #[derive(Queryable, Selectable)]
    /// #[diesel(table_name = notes, check_for_backend(fastapp_core::db::DbBackend))]
    /// struct Note { id: i32, body: String }
    ///
    /// let mut conn = fastapp_core::db::connect(":memory:").unwrap();
    /// diesel::sql_query("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)").execute(&mut conn).unwrap();
    /// diesel::insert_into(notes::table).values((notes::id.eq(1), notes::body.eq("hi"))).execute(&mut conn).unwrap();
    /// let note = notes::table.select(Note::as_select()).first(&mut conn).unwrap();
    /// assert_eq!((note.id, note.body.as_str()), (1, "hi"));
    /// ```
    pub type DbBackend = <DbConnection as diesel::Connection>::Backend;
}

impl DbConnection {
    /// The backend of this connection.
    ///
    /// ```
    /// let conn = fastapp_core::db::connect(":memory:").unwrap();
    /// assert_eq!(conn.backend(), fastapp_core::db::Backend::Sqlite);
    /// ```
    pub fn backend(&self) -> Backend {
        match self {
            #[cfg(feature = "sqlite")]
            DbConnection::Sqlite(_) => Backend::Sqlite,
            #[cfg(feature = "postgres")]
            DbConnection::Postgres(_) => Backend::Postgres,
        }
    }
}

/// A pool of [`DbConnection`]s (r2d2's).
///
/// ```
/// use diesel::connection::SimpleConnection;
/// let pool: fastapp_core::db::DbPool = fastapp_core::db::pool(":memory:");
/// pool.get().unwrap().batch_execute("SELECT 1").unwrap();
/// ```
pub type DbPool = Pool<Manager>;

/// Busy timeout for every SQLite connection: writers wait instead of failing.
#[cfg(feature = "sqlite")]
const BUSY_TIMEOUT_MS: u32 = 10_000;

/// Opens one connection for `url`, choosing the backend from the URL's
/// scheme (diesel's `MultiConnection::establish` would try every backend and
/// hide the real error).
///
/// ```
/// let conn = fastapp_core::db::connect(":memory:").unwrap();
/// assert_eq!(conn.backend(), fastapp_core::db::Backend::Sqlite);
/// ```
pub fn connect(url: &str) -> Result<DbConnection, Error> {
    let fail = |message: String| crate::error::database(url, message);
    match Backend::of_url(url) {
        #[cfg(feature = "postgres")]
        Backend::Postgres => PgConnection::establish(url)
            .map(DbConnection::Postgres)
            .map_err(|err| fail(err.to_string())),
        #[cfg(feature = "sqlite")]
        Backend::Sqlite => {
            let path = url.strip_prefix("sqlite://").unwrap_or(url);
            let mut conn = SqliteConnection::establish(path).map_err(|err| fail(err.to_string()))?;
            let pragmas =
                format!("PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}; PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;");
            // Switching a new file to WAL while another process does the
            // same can be refused at once ("database is locked"), without
            // SQLite's busy handler: wait for it here, as long as it would.
            let deadline =
                std::time::Instant::now() + std::time::Duration::from_millis(BUSY_TIMEOUT_MS.into());
            loop {
                match conn.batch_execute(&pragmas) {
                    Ok(()) => break,
                    Err(err)
                        if err.to_string().contains("database is locked")
                            && std::time::Instant::now() < deadline =>
                    {
                        std::thread::sleep(std::time::Duration::from_millis(20));
                    }
                    Err(err) => return Err(fail(err.to_string())),
                }
            }
            Ok(DbConnection::Sqlite(conn))
        }
        #[allow(unreachable_patterns)]
        missing => Err(fail(missing.missing().0)),
    }
}

/// The r2d2 manager behind [`DbPool`]: connects with [`connect`].
///
/// Made only by [`pool`] / [`pool_with`]; each checkout is pinged first
/// (`is_valid`), so a connection the server closed is replaced, not handed out.
///
/// ```
/// use fastapp_core::db::{self, Manager};
/// let pool: diesel::r2d2::Pool<Manager> = db::pool(":memory:");
/// assert_eq!(pool.get().unwrap().backend(), db::Backend::Sqlite);
/// ```
#[derive(Debug, Clone)]
pub struct Manager {
    url: String,
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = Error;

    fn connect(&self) -> Result<DbConnection, Error> {
        connect(&self.url)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), Error> {
        conn.ping().map_err(|err| crate::error::database(&self.url, err))
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        conn.is_broken()
    }
}

/// The pool for `url`. It opens connections on demand, so building it never
/// touches the database (`check` and `routes` work without one; `serve`
/// mounts every app before migrating, so a bad config changes nothing).
///
/// ```
/// let pool = fastapp_core::db::pool("postgres://nobody@127.0.0.1:1/none");
/// assert_eq!(pool.state().connections, 0);
/// let pool = fastapp_core::db::pool(":memory:");
/// assert!(pool.get().is_ok());
/// ```
pub fn pool(url: &str) -> DbPool {
    pool_with(url, Duration::from_secs(crate::Settings::default().db_timeout))
}

/// [`pool`] whose connections wait at most `timeout` (setting
/// `db_timeout`): a handler's `state.db(..)` then answers 503.
///
/// ```
/// let pool = fastapp_core::db::pool_with("fastapp.db", std::time::Duration::from_secs(1));
/// assert_eq!(pool.connection_timeout(), std::time::Duration::from_secs(1));
/// ```
pub fn pool_with(url: &str, timeout: Duration) -> DbPool {
    sized_pool(url, timeout, default_pool_size(url))
}

/// The pool `serve` uses: `database_url`, `db_timeout` and `db_pool_size`
/// from the settings.
///
/// ```
/// let settings = fastapp_core::Settings { db_pool_size: 2, ..Default::default() };
/// assert_eq!(fastapp_core::db::pool_for(&settings).max_size(), 2);
/// let settings = fastapp_core::Settings::default(); // 0: the backend's default
/// assert_eq!(fastapp_core::db::pool_for(&settings).max_size(), 4);
/// ```
pub fn pool_for(settings: &crate::Settings) -> DbPool {
    let size = match settings.db_pool_size {
        0 => default_pool_size(&settings.database_url),
        size => size,
    };
    sized_pool(
        &settings.database_url,
        Duration::from_secs(settings.db_timeout),
        size,
    )
}

/// SQLite serialises writers anyway; a few readers are plenty.
fn default_pool_size(url: &str) -> u32 {
    match Backend::of_url(url) {
        Backend::Sqlite => 4,
        Backend::Postgres => 10,
    }
}

fn sized_pool(url: &str, timeout: Duration, max_size: u32) -> DbPool {
    Pool::builder()
        .max_size(max_size)
        .min_idle(Some(0))
        .connection_timeout(timeout)
        .build_unchecked(Manager { url: url.to_string() })
}

/// A SQLite database file that does not exist yet.
pub(crate) fn missing_sqlite_file(url: &str) -> bool {
    Backend::of_url(url) == Backend::Sqlite
        && sqlite_file(url).is_ok_and(|file| !std::path::Path::new(&file).exists())
}

/// Why a SQLite database that does not exist yet could not be created
/// where `url` puts it: its directory is missing, not a directory, or not
/// writable (what `migrate` would fail on). `None` when it could be.
pub(crate) fn uncreatable_sqlite_file(url: &str) -> Option<Error> {
    let file = sqlite_file(url).ok()?;
    let dir = match std::path::Path::new(&file).parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let why = match std::fs::metadata(&dir) {
        Err(err) => format!("its directory {} cannot be used ({err})", dir.display()),
        Ok(meta) if !meta.is_dir() => format!("{} is not a directory", dir.display()),
        Ok(meta) if meta.permissions().readonly() => format!("its directory {} is read-only", dir.display()),
        Ok(_) => return None,
    };
    Some(crate::error::database(
        url,
        format!("the SQLite file {file} cannot be created: {why}"),
    ))
}

/// One-column rows for raw SQL: `SELECT … AS flag`, `SELECT … AS name`.
pub(crate) mod rows {
    use diesel::sql_types::{Bool, Text};

    /// A `flag` column.
    #[derive(diesel::QueryableByName)]
    pub(crate) struct Flag {
        #[diesel(sql_type = Bool)]
        pub(crate) flag: bool,
    }

    /// A `name` column.
    #[derive(diesel::QueryableByName)]
    pub(crate) struct Name {
        #[diesel(sql_type = Text)]
        pub(crate) name: String,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Run with each backend alone too (`.ci/run`): a URL of the one left
    /// out is settings.E020, naming the feature; connecting says the same.
    #[test]
    fn a_url_of_a_backend_not_built_in_is_refused_naming_its_feature() {
        for (url, backend) in [
            ("app.db", Backend::Sqlite),
            ("postgres://u@127.0.0.1:1/db", Backend::Postgres),
        ] {
            match check_url(url) {
                Ok(()) => assert!(backend.built_in(), "{url}"),
                Err(finding) => {
                    assert!(!backend.built_in(), "{url}: {finding}");
                    assert_eq!(finding.id, "settings.E020");
                    let text = finding.to_string();
                    assert!(
                        text.contains(&format!("feature `{}` is off", backend.feature())),
                        "{text}"
                    );
                    assert!(
                        text.contains(&format!("features = [\"{}\"]", backend.feature())),
                        "{text}"
                    );
                    let Err(err) = connect(url) else {
                        panic!("{url} connected")
                    };
                    assert!(err.to_string().contains("this build has no"), "{err}");
                }
            }
        }
        assert!(Backend::Sqlite.built_in() || Backend::Postgres.built_in());
    }
}
