//! Reverting applied migrations (`migrate revert`), newest first.

use crate::db::DbConnection;
use crate::{Error, Finding};

use super::{
    db_error, history, migration_failed, one_statement, step, verify, AppliedRow, Done, Migration,
    MigrationSet,
};

/// How far [`revert`] goes (see its example).
#[derive(Debug, Clone, Copy)]
pub enum Revert<'a> {
    /// The newest `n` applied migrations.
    Steps(usize),
    /// Every applied migration newer than this one (which stays applied).
    To(&'a Migration),
}

/// Reverts applied migrations of `set`, newest first, each with its
/// `down.sql` in a transaction. Call it inside [`with_lock`](super::with_lock). When one of
/// them has no `down.sql`, none is reverted (`migration.E044`).
///
/// ```
/// use fastapp_core::{db, migrate::{self, Migration, MigrationSet, Revert, Target}};
/// static MIGRATIONS: [Migration; 2] = [
///     Migration { name: "2024-01-01-000001_create_notes", version: "20240101000001",
///         up: "CREATE TABLE notes (id INTEGER PRIMARY KEY);", down: None, run_in_transaction: true },
///     Migration { name: "2024-01-01-000002_add_title", version: "20240101000002",
///         up: "ALTER TABLE notes ADD COLUMN title TEXT;", down: Some("ALTER TABLE notes DROP COLUMN title;"),
///         run_in_transaction: true },
/// ];
/// let sets = [MigrationSet::core(&MIGRATIONS)];
/// let mut conn = db::connect(":memory:").unwrap();
/// migrate::migrate(&mut conn, &sets, &sets, Target::Latest).unwrap();
/// // The older one has no down.sql: not even the newer one is reverted.
/// let err = migrate::revert(&mut conn, &sets[0], &sets, Revert::Steps(2)).unwrap_err();
/// assert_eq!(err.findings()[0].id, "migration.E044");
/// assert_eq!(migrate::status(&mut conn, &sets).unwrap()[0].applied.len(), 2);
/// // One step is fine.
/// let done = migrate::revert(&mut conn, &sets[0], &sets, Revert::Steps(1)).unwrap();
/// assert_eq!(done[0].name, "2024-01-01-000002_add_title");
/// ```
pub fn revert(
    conn: &mut DbConnection,
    set: &MigrationSet,
    all: &[MigrationSet],
    how: Revert<'_>,
) -> Result<Vec<Done>, Error> {
    verify(conn, std::slice::from_ref(set), all).map_err(Error::many)?;
    history::ensure_tables(conn, &set.table).map_err(|e| db_error(set, e))?;
    let mut applied = history::applied(conn, &set.table).map_err(|e| db_error(set, e))?;
    applied.reverse();
    let chosen: Vec<AppliedRow> = match how {
        Revert::Steps(n) => applied.into_iter().take(n).collect(),
        Revert::To(keep) => applied
            .into_iter()
            .filter(|row| row.version.as_str() > keep.version)
            .collect(),
    };
    // Every chosen migration must be reversible before any is reverted.
    let chosen: Vec<&'static Migration> = chosen
        .iter()
        .map(|row| {
            set.by_version(&row.version)
                .expect("verify() checked that every applied migration exists")
        })
        .collect();
    if let Some(m) = chosen.iter().find(|m| m.down.is_none()) {
        return Err(Finding::new(
            "migration.E044",
            format!(
                "migration {} of `{}` has no down.sql, so it cannot be reverted (nothing was reverted)",
                m.name, set.app
            ),
            format!(
                "add {}/down.sql that undoes up.sql, or revert fewer steps",
                m.name
            ),
        )
        .app(set.app.clone())
        .location(m.name)
        .into());
    }
    let several: Vec<Error> = chosen
        .iter()
        .filter_map(|m| one_statement(set, m, "down.sql", m.down.unwrap_or_default()).err())
        .collect();
    if !several.is_empty() {
        return Err(Error::many(several));
    }
    let mut done = Vec::new();
    for migration in chosen {
        let down = migration.down.expect("checked above");
        step(conn, &set.table, migration, "down", down, |conn| {
            history::forget(conn, &set.table, migration.version)
        })
        .map_err(|err| migration_failed(set, migration, "down.sql", err))?;
        tracing::info!(app = %set.app, migration = migration.name, "reverted migration");
        done.push(Done {
            app: set.app.clone(),
            name: migration.name,
            adopted: false,
        });
    }
    Ok(done)
}
