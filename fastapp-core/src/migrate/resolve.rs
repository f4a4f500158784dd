//! Migrations marked unfinished (`run_in_transaction = false`, cut off or
//! failed): the error that stops the next run, and `migrate resolve`.

use diesel::Connection;

use crate::db::DbConnection;
use crate::{Error, Finding};

use super::{db_error, history, Migration, MigrationSet, UnfinishedRow, UNFINISHED_TABLE};

/// `migration.E054`: a migration run outside a transaction failed or was
/// cut off, so what it changed is unknown.
pub(super) fn unfinished_error(set: &MigrationSet, row: &UnfinishedRow) -> Error {
    let name = set
        .migrations
        .iter()
        .find(|m| m.version == row.version)
        .map_or(row.version.as_str(), |m| m.name);
    let verb = if row.direction == "down" {
        "reverting"
    } else {
        "applying"
    };
    let what = if row.error.is_empty() {
        format!("the run {verb} it since {} was cut off", row.since)
    } else {
        format!("{verb} it failed at {}: {}", row.since, row.error)
    };
    Finding::new(
        "migration.E054",
        format!(
            "migration {name} of `{}` did not finish ({what}); it has run_in_transaction = false, \
             so it may have partly run and was not rolled back",
            set.app
        ),
        format!(
            "look at what it left (e.g. an INVALID index from CREATE INDEX CONCURRENTLY: DROP INDEX it), then run \
             `migrate resolve {app} {name} --rolled-back` to have it run again, or `migrate resolve {app} {name} --applied` \
             if its changes are in place (you completed them by hand)",
            app = set.app
        ),
    )
    .app(set.app.clone())
    .location(format!("{UNFINISHED_TABLE} {}", row.version))
    .into()
}

/// What `migrate resolve` records about an unfinished migration (see the
/// example on [`resolve`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// Its up.sql's changes are in the database: recorded as applied.
    Applied,
    /// They are not: recorded as not applied, so `migrate` runs it again.
    RolledBack,
}

/// Settles a migration marked unfinished (`migration.E054`) as `how` says,
/// after someone looked at the database: records it as applied or not and
/// removes the mark. A migration that is not marked is `migration.E056`.
/// Call it inside [`with_lock`](super::with_lock).
///
/// ```
/// # use fastapp_core::{db, migrate::{self, Migration, MigrationSet}};
/// # static MIGRATIONS: [Migration; 2] = [
/// #     Migration { name: "2024-01-01-000001_create_notes", version: "20240101000001",
/// #         up: "CREATE TABLE notes (id INTEGER PRIMARY KEY);", down: Some("DROP TABLE notes;"), run_in_transaction: true },
/// #     Migration { name: "2024-01-01-000002_add_title", version: "20240101000002",
/// #         up: "ALTER TABLE notes ADD COLUMN title TEXT;", down: None, run_in_transaction: true },
/// # ];
/// # let sets = [MigrationSet::core(&MIGRATIONS)];
/// # let mut conn = db::connect(":memory:").unwrap();
/// migrate::migrate(&mut conn, &sets, &sets, migrate::Target::Latest).unwrap();
/// let err = migrate::resolve(&mut conn, &sets[0], &MIGRATIONS[0], migrate::Resolution::Applied).unwrap_err();
/// assert_eq!(err.findings()[0].id, "migration.E056"); // it ran in a transaction: nothing to settle
/// ```
pub fn resolve(
    conn: &mut DbConnection,
    set: &MigrationSet,
    migration: &Migration,
    how: Resolution,
) -> Result<(), Error> {
    let marked = history::unfinished(conn, &set.table).map_err(|e| db_error(set, e))?;
    if !marked.iter().any(|row| row.version == migration.version) {
        return Err(Finding::new(
            "migration.E056",
            format!(
                "migration {} of `{}` is not unfinished, so there is nothing to resolve",
                migration.name, set.app
            ),
            "`migrate resolve` settles only what `migrate status` marks [?] (a migration outside a transaction that \
             failed or was cut off); use `migrate` and `migrate revert` for the rest",
        )
        .app(set.app.clone())
        .location(migration.name)
        .into());
    }
    let applied = history::applied(conn, &set.table)
        .map_err(|e| db_error(set, e))?
        .iter()
        .any(|row| row.version == migration.version);
    conn.transaction(|conn| {
        match (how, applied) {
            (Resolution::Applied, false) => {
                history::record(conn, &set.table, migration.version, &migration.checksum())?
            }
            (Resolution::RolledBack, true) => history::forget(conn, &set.table, migration.version)?,
            _ => {}
        }
        history::forget_unfinished(conn, &set.table, migration.version)
    })
    .map_err(|e| db_error(set, e))?;
    tracing::info!(app = %set.app, migration = migration.name, resolution = ?how, "resolved migration");
    Ok(())
}
