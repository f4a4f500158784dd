//! One database per test: a temporary SQLite file, or a PostgreSQL
//! database created for the test and dropped (or, when the test kit made it
//! from a template, reset and kept for the next test) with it.

use std::path::Path;

use super::{owner, stock};
use crate::db::{self, Backend};
use crate::{Error, Finding};

/// The environment variable that moves the test kit to PostgreSQL: a
/// `postgres://` URL of a server whose user may create databases (its
/// database part names the one to connect to for `CREATE DATABASE`,
/// usually `postgres`).
///
/// ```
/// use fastapp_core::{db::Backend, testing::{TestDatabase, DATABASE_URL_VAR}};
/// let on_postgres = std::env::var(DATABASE_URL_VAR).is_ok_and(|url| !url.is_empty());
/// let db = TestDatabase::from_env().unwrap();
/// assert_eq!(db.backend() == Backend::Postgres, on_postgres);
/// ```
pub const DATABASE_URL_VAR: &str = "FASTAPP_TEST_DATABASE_URL";

/// A database that exists for one test and is removed when dropped — also
/// when the test panics, since unwinding drops it.
///
/// ```
/// let db = fastapp_core::testing::TestDatabase::sqlite().unwrap();
/// let path = std::path::PathBuf::from(db.url());
/// fastapp_core::db::connect(db.url()).unwrap(); // creates the file
/// assert!(path.exists());
/// drop(db);
/// assert!(!path.exists());
/// ```
pub struct TestDatabase {
    url: String,
    kind: Kind,
}

enum Kind {
    Sqlite {
        _dir: tempfile::TempDir,
    },
    Postgres {
        /// The server URL `CREATE DATABASE` / `DROP DATABASE` run on.
        admin: String,
        name: String,
        /// From the template for this key, with the pool the test used:
        /// given back to it; else dropped.
        stocked: Option<(String, stock::Pooled)>,
    },
}

impl std::fmt::Debug for TestDatabase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestDatabase")
            .field("url", &crate::database_url::redact_url(&self.url))
            .finish()
    }
}

impl TestDatabase {
    /// PostgreSQL when [`DATABASE_URL_VAR`] names a server, else SQLite.
    /// (See the example on [`DATABASE_URL_VAR`].)
    pub fn from_env() -> Result<TestDatabase, Error> {
        match std::env::var(DATABASE_URL_VAR) {
            Ok(url) if !url.is_empty() => TestDatabase::postgres(&url),
            _ => TestDatabase::sqlite(),
        }
    }

    /// A fresh SQLite file in a temporary directory.
    ///
    /// ```
    /// let db = fastapp_core::testing::TestDatabase::sqlite().unwrap();
    /// assert!(db.url().ends_with("test.db"));
    /// assert_eq!(db.backend(), fastapp_core::db::Backend::Sqlite);
    /// ```
    pub fn sqlite() -> Result<TestDatabase, Error> {
        let dir = tempfile::Builder::new()
            .prefix("test-")
            .tempdir_in(owner::sqlite_dir()?)
            .map_err(|source| Error::Io {
                context: "cannot create a temporary directory for the test database".into(),
                source,
            })?;
        Ok(TestDatabase {
            url: dir.path().join("test.db").display().to_string(),
            kind: Kind::Sqlite { _dir: dir },
        })
    }

    /// A uniquely named database created on the PostgreSQL server `server`
    /// (a `postgres://` URL whose user may create databases); dropped with
    /// the value, its connections ended.
    ///
    /// ```
    /// use fastapp_core::testing::TestDatabase;
    /// use fastapp_core::testing::DATABASE_URL_VAR;
    /// if let Some(server) = std::env::var(DATABASE_URL_VAR).ok().filter(|url| !url.is_empty()) {
    ///     let db = TestDatabase::postgres(&server).unwrap();
    ///     fastapp_core::db::connect(db.url()).unwrap();
    /// }
    /// let err = TestDatabase::postgres("app.db").unwrap_err();
    /// assert_eq!(err.findings()[0].id, "db.E030");
    /// ```
    pub fn postgres(server: &str) -> Result<TestDatabase, Error> {
        check_server(server)?;
        let name = stock::create(server, "test", None)?;
        Ok(TestDatabase {
            url: crate::database_url::with_database(server, &name),
            kind: Kind::Postgres {
                admin: server.to_string(),
                name,
                stocked: None,
            },
        })
    }

    /// As [`from_env`](Self::from_env), migrated: a copy of this process's
    /// template for `key`, which `migrate(url)` makes the first time (the
    /// [module documentation](super) says how).
    pub(crate) fn from_template(
        key: &str,
        migrate: &dyn Fn(&str) -> Result<(), Error>,
    ) -> Result<TestDatabase, Error> {
        match std::env::var(DATABASE_URL_VAR) {
            Ok(server) if !server.is_empty() => {
                check_server(&server)?;
                let (name, pooled) = stock::postgres_take(&server, key, migrate)?;
                Ok(TestDatabase {
                    url: crate::database_url::with_database(&server, &name),
                    kind: Kind::Postgres {
                        admin: server,
                        name,
                        stocked: Some((key.to_string(), pooled)),
                    },
                })
            }
            _ => {
                let db = TestDatabase::sqlite()?;
                stock::sqlite_copy(key, Path::new(&db.url), migrate)?;
                Ok(db)
            }
        }
    }

    /// The pool the app gets: for a PostgreSQL database reused from an
    /// earlier test, the pool it kept (its connections open) when its
    /// timeout is `timeout`.
    pub(crate) fn pool(&mut self, timeout: std::time::Duration) -> db::DbPool {
        match &mut self.kind {
            Kind::Postgres {
                stocked: Some((_, pooled)),
                ..
            } => pooled.for_app(&self.url, timeout),
            _ => db::pool_with(&self.url, timeout),
        }
    }

    /// The URL handed to the app as `database_url` (see [`TestDatabase::sqlite`]).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Which backend it is (see [`TestDatabase::sqlite`]).
    pub fn backend(&self) -> Backend {
        match self.kind {
            Kind::Sqlite { .. } => Backend::Sqlite,
            Kind::Postgres { .. } => Backend::Postgres,
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Kind::Postgres { admin, name, stocked } = &mut self.kind {
            match stocked.take() {
                // A test that panicked leaves nothing: its database goes.
                Some((key, pooled)) if !std::thread::panicking() => {
                    stock::postgres_give_back(admin, &key, name, pooled)
                }
                _ => stock::drop_database(admin, name),
            }
        }
    }
}

/// `server` must be a `postgres://` URL.
fn check_server(server: &str) -> Result<(), Error> {
    if db::Backend::of_url(server) == Backend::Postgres {
        return Ok(());
    }
    Err(Finding::new(
        "db.E030",
        format!(
            "{DATABASE_URL_VAR} must be a postgres:// URL, not `{}`",
            crate::database_url::redact_url(server)
        ),
        format!(
            "set {DATABASE_URL_VAR}=postgres://user:password@host/postgres (a user that may create databases), \
             or unset it to test on temporary SQLite files"
        ),
    )
    .location(DATABASE_URL_VAR)
    .into())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_non_postgres_url_is_refused_with_the_variable_named() {
        let err = super::TestDatabase::postgres("mysql://x").unwrap_err();
        let finding = &err.findings()[0];
        assert_eq!(finding.id, "db.E030");
        assert!(finding.message.contains(super::DATABASE_URL_VAR), "{finding}");
    }
}
