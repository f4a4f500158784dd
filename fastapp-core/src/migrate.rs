//! The migration runner: core's shared migrations (tracked in diesel's own
//! `__diesel_schema_migrations`, so the diesel CLI keeps working) and each
//! external app's embedded migrations (tracked in `__fastapp_migrations_<app>`),
//! all through the same code.

use diesel::connection::SimpleConnection;
use diesel::sql_types::Text;
use diesel::{Connection, QueryableByName, RunQueryDsl};

use crate::db::DbConnection;
use crate::Error;

/// One migration, embedded with its SQL by `project!()` / `#[external_app]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migration {
    /// Directory name, e.g. `2024-01-01-000001_create_users`.
    pub name: &'static str,
    /// Version as diesel records it: the part before the first `_`, without `-`.
    pub version: &'static str,
    /// SQL to apply.
    pub up: &'static str,
    /// SQL to revert, when the migration has a `down.sql`.
    pub down: Option<&'static str>,
    /// `false` when `metadata.toml` says `run_in_transaction = false`.
    pub run_in_transaction: bool,
}

/// The version table diesel uses, and fastapp uses for core's shared migrations.
pub const DIESEL_VERSION_TABLE: &str = "__diesel_schema_migrations";

/// One app's migrations and the table that tracks them.
///
/// ```
/// let set = fastapp_core::migrate::MigrationSet::external("newsletter", &[]).unwrap();
/// assert_eq!(set.table(), "__fastapp_migrations_newsletter");
/// assert!(fastapp_core::migrate::MigrationSet::external("x; drop table y", &[]).is_err());
/// ```
#[derive(Debug, Clone)]
pub struct MigrationSet {
    app: String,
    table: String,
    migrations: &'static [Migration],
}

impl MigrationSet {
    /// Core's shared migrations (core and internal apps).
    pub fn core(migrations: &'static [Migration]) -> MigrationSet {
        MigrationSet {
            app: "core".into(),
            table: DIESEL_VERSION_TABLE.into(),
            migrations,
        }
    }

    /// An external app's migrations; `app` must be `[a-z][a-z0-9_]*`, since it
    /// becomes part of a table name.
    pub fn external(app: &str, migrations: &'static [Migration]) -> Result<MigrationSet, Error> {
        if !crate::is_app_name(app) {
            return Err(Error::Migration {
                app: app.into(),
                version: "-".into(),
                message: "the app name is not `[a-z][a-z0-9_]*`, so it cannot name a version table".into(),
                rolled_back_note: String::new(),
            });
        }
        Ok(MigrationSet {
            app: app.into(),
            table: format!("__fastapp_migrations_{app}"),
            migrations,
        })
    }

    /// The app the set belongs to (`core` for the shared set).
    pub fn app(&self) -> &str {
        &self.app
    }

    /// The version table.
    pub fn table(&self) -> &str {
        &self.table
    }

    /// The migrations, in version order.
    pub fn migrations(&self) -> &'static [Migration] {
        self.migrations
    }
}

#[derive(QueryableByName)]
struct VersionRow {
    #[diesel(sql_type = Text)]
    version: String,
}

/// Versions recorded in `set`'s table (creating the table if needed).
pub fn applied_versions(conn: &mut DbConnection, set: &MigrationSet) -> Result<Vec<String>, Error> {
    let err = |err: diesel::result::Error| Error::Migration {
        app: set.app.clone(),
        version: "-".into(),
        message: format!("cannot read version table `{}`: {err}", set.table),
        rolled_back_note: String::new(),
    };
    conn.batch_execute(&format!(
        "CREATE TABLE IF NOT EXISTS {} (version VARCHAR(50) PRIMARY KEY NOT NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)",
        set.table
    ))
    .map_err(err)?;
    let rows: Vec<VersionRow> =
        diesel::sql_query(format!("SELECT version FROM {} ORDER BY version", set.table))
            .load(conn)
            .map_err(err)?;
    Ok(rows.into_iter().map(|r| r.version).collect())
}

/// Applies every pending migration of `set` in version order; returns the
/// names of those applied. A failing migration is rolled back (when it runs
/// in a transaction) and stops the run; the ones before it stay applied.
pub fn run_pending(conn: &mut DbConnection, set: &MigrationSet) -> Result<Vec<&'static str>, Error> {
    let applied = applied_versions(conn, set)?;
    let mut pending: Vec<&Migration> = set
        .migrations
        .iter()
        .filter(|m| !applied.iter().any(|v| v == m.version))
        .collect();
    pending.sort_by_key(|m| m.version);
    let mut done = Vec::new();
    for migration in pending {
        let apply = |conn: &mut DbConnection| -> diesel::QueryResult<()> {
            conn.batch_execute(migration.up)?;
            diesel::sql_query(format!("INSERT INTO {} (version) VALUES (?)", set.table))
                .bind::<Text, _>(migration.version)
                .execute(conn)?;
            Ok(())
        };
        let result = if migration.run_in_transaction {
            conn.transaction(apply)
        } else {
            apply(conn)
        };
        result.map_err(|err| Error::Migration {
            app: set.app.clone(),
            version: migration.name.into(),
            message: err.to_string(),
            rolled_back_note: if migration.run_in_transaction {
                String::new()
            } else {
                " only partly: it has run_in_transaction = false, so check what it changed".into()
            },
        })?;
        tracing::info!(app = %set.app, migration = migration.name, "applied migration");
        done.push(migration.name);
    }
    Ok(done)
}

/// Runs every set in order under an exclusive lock, so concurrent
/// processes apply each migration once.
pub fn run_all(conn: &mut DbConnection, sets: &[MigrationSet]) -> Result<Vec<(String, &'static str)>, Error> {
    let mut done = Vec::new();
    for set in sets {
        for name in run_pending(conn, set)? {
            done.push((set.app.clone(), name));
        }
    }
    Ok(done)
}
