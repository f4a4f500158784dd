//! The development loop's own migrations: a migration that `cargo fastapp
//! dev` applied and the user then edited (still writing it) is reverted
//! with the `down.sql` it was applied with and applied again, instead of
//! the server refusing to start (`migration.E042`) until the database is
//! deleted.
//!
//! Only migrations a dev server applied are redone: [`remember`] keeps
//! each one's checksum and `down.sql` in `__fastapp_dev_applied` when `serve
//! --dev` (what `cargo fastapp dev` starts) applies it. Plain `serve` and
//! `migrate` never call [`redo_edited`], and on a database no dev server
//! migrated it finds nothing to redo: an edited migration is
//! `migration.E042` there, as always.

use diesel::connection::SimpleConnection;
use diesel::sql_types::Text;
use diesel::{Connection, QueryResult, QueryableByName, RunQueryDsl};

use super::{history, Done, MigrationSet};
use crate::db::{Backend, DbConnection};
use crate::Error;

/// Where a dev server keeps what it applied.
pub const DEV_TABLE: &str = "__fastapp_dev_applied";

#[derive(QueryableByName)]
struct DevRow {
    #[diesel(sql_type = Text)]
    version: String,
    #[diesel(sql_type = Text)]
    checksum: String,
    #[diesel(sql_type = Text)]
    down: String,
}

/// One migration reverted to be applied again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redone {
    /// The app whose set it is in.
    pub app: String,
    /// The migration's directory name.
    pub name: &'static str,
    /// Whether it was edited (`false`: a newer one of the same set, which
    /// had to be reverted first).
    pub edited: bool,
}

fn ph(conn: &DbConnection, n: usize) -> String {
    match conn.backend() {
        Backend::Sqlite => "?".into(),
        Backend::Postgres => format!("${n}"),
    }
}

fn ensure_table(conn: &mut DbConnection) -> QueryResult<()> {
    conn.batch_execute(&format!(
        "CREATE TABLE IF NOT EXISTS {DEV_TABLE} (\
           version_table VARCHAR(64) NOT NULL, \
           version VARCHAR(50) NOT NULL, \
           checksum VARCHAR(64) NOT NULL, \
           down TEXT NOT NULL, \
           PRIMARY KEY (version_table, version))"
    ))
}

fn rows(conn: &mut DbConnection, set: &MigrationSet) -> QueryResult<Vec<DevRow>> {
    if !history::table_exists(conn, DEV_TABLE)? {
        return Ok(Vec::new());
    }
    diesel::sql_query(format!(
        "SELECT version, checksum, down FROM {DEV_TABLE} WHERE version_table = {}",
        ph(conn, 1)
    ))
    .bind::<Text, _>(set.table())
    .load(conn)
}

fn forget(conn: &mut DbConnection, set: &MigrationSet, version: &str) -> QueryResult<()> {
    diesel::sql_query(format!(
        "DELETE FROM {DEV_TABLE} WHERE version_table = {} AND version = {}",
        ph(conn, 1),
        ph(conn, 2)
    ))
    .bind::<Text, _>(set.table())
    .bind::<Text, _>(version)
    .execute(conn)
    .map(drop)
}

/// Records the migrations a dev server just applied (`done`, from
/// [`super::migrate`]) with their checksum and `down.sql`.
pub fn remember(conn: &mut DbConnection, sets: &[MigrationSet], done: &[Done]) -> Result<(), Error> {
    if done.is_empty() {
        return Ok(());
    }
    let failed = |err: diesel::result::Error| Error::from(dev_error(err));
    ensure_table(conn).map_err(failed)?;
    for d in done.iter().filter(|d| !d.adopted) {
        let Some((set, m)) = sets.iter().find_map(|set| {
            let m = set
                .migrations()
                .iter()
                .find(|m| m.name == d.name && set.app() == d.app)?;
            Some((set, *m))
        }) else {
            continue;
        };
        conn.transaction(|conn| {
            forget(conn, set, m.version)?;
            diesel::sql_query(format!(
                "INSERT INTO {DEV_TABLE} (version_table, version, checksum, down) VALUES ({}, {}, {}, {})",
                ph(conn, 1),
                ph(conn, 2),
                ph(conn, 3),
                ph(conn, 4)
            ))
            .bind::<Text, _>(set.table())
            .bind::<Text, _>(m.version)
            .bind::<Text, _>(m.checksum())
            .bind::<Text, _>(m.down.unwrap_or_default())
            .execute(conn)
            .map(drop)
        })
        .map_err(failed)?;
    }
    Ok(())
}

/// Reverts, newest first, every applied migration of a set from its oldest
/// edited one on — when a dev server applied each of them (as it was then)
/// and kept a `down.sql` for it; otherwise that set is left alone (and
/// [`super::migrate`] refuses the edit with `migration.E042`). Each revert
/// runs the kept `down.sql` in a transaction with forgetting the version.
/// Call it inside [`super::with_lock`], before [`super::migrate`].
///
/// ```
/// use fastapp_core::{db, migrate::{self, dev, Migration, MigrationSet, Target}};
/// static V1: [Migration; 1] = [Migration { name: "2024-01-01-000001_create_notes", version: "20240101000001",
///     up: "CREATE TABLE notes (id INTEGER PRIMARY KEY);", down: Some("DROP TABLE notes;"), run_in_transaction: true }];
/// static V2: [Migration; 1] = [Migration { name: "2024-01-01-000001_create_notes", version: "20240101000001",
///     up: "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);", down: Some("DROP TABLE notes;"), run_in_transaction: true }];
/// let mut conn = db::connect(":memory:").unwrap();
/// let first = [MigrationSet::core(&V1)];
/// let done = migrate::migrate(&mut conn, &first, &first, Target::Latest).unwrap();
/// dev::remember(&mut conn, &first, &done).unwrap();
///
/// // Edited after the dev server applied it: reverted, then applied again.
/// let edited = [MigrationSet::core(&V2)];
/// assert_eq!(migrate::migrate(&mut conn, &edited, &edited, Target::Latest).unwrap_err().findings()[0].id, "migration.E042");
/// let redone = dev::redo_edited(&mut conn, &edited).unwrap();
/// assert_eq!(redone[0].name, "2024-01-01-000001_create_notes");
/// assert_eq!(migrate::migrate(&mut conn, &edited, &edited, Target::Latest).unwrap().len(), 1);
/// ```
pub fn redo_edited(conn: &mut DbConnection, sets: &[MigrationSet]) -> Result<Vec<Redone>, Error> {
    let failed = |err: diesel::result::Error| Error::from(dev_error(err));
    let mut redone = Vec::new();
    for set in sets {
        let applied = history::applied(conn, set.table()).map_err(failed)?;
        let checksums = history::checksums(conn, set.table()).map_err(failed)?;
        let edited = |version: &str| {
            set.by_version(version)
                .zip(checksums.get(version))
                .is_some_and(|(m, recorded)| m.checksum() != *recorded)
        };
        let Some(first) = applied.iter().position(|row| edited(&row.version)) else {
            continue;
        };
        let kept = rows(conn, set).map_err(failed)?;
        // Each one from the first edited on: applied by a dev server as
        // recorded now, with a down.sql, and still in this build.
        let undo: Option<Vec<(&'static super::Migration, &DevRow)>> = applied[first..]
            .iter()
            .map(|row| {
                let m = set.by_version(&row.version)?;
                let dev = kept.iter().find(|k| k.version == row.version)?;
                let as_applied = checksums.get(&row.version) == Some(&dev.checksum);
                (as_applied && !dev.down.trim().is_empty()).then_some((m, dev))
            })
            .collect();
        let Some(undo) = undo else {
            continue;
        };
        for (m, dev) in undo.into_iter().rev() {
            conn.transaction(|conn| {
                conn.batch_execute(&dev.down)?;
                history::forget(conn, set.table(), m.version)?;
                forget(conn, set, m.version)
            })
            .map_err(|err| {
                Error::from(
                    crate::Finding::new(
                        "migration.E040",
                        format!(
                            "cannot revert {} of `{}` (edited since `cargo fastapp dev` applied it) with the down.sql \
                             it was applied with: {err}",
                            m.name,
                            set.app()
                        ),
                        "this is the development database: delete it (or revert by hand) and save again",
                    )
                    .app(set.app().to_string())
                    .location(m.name),
                )
            })?;
            redone.push(Redone {
                app: set.app().to_string(),
                name: m.name,
                edited: edited(&dev.version),
            });
        }
    }
    redone.reverse();
    Ok(redone)
}

fn dev_error(err: diesel::result::Error) -> crate::Finding {
    crate::Finding::new(
        "db.E030",
        format!("cannot read or write {DEV_TABLE} (what `cargo fastapp dev` applied): {err}"),
        "check DATABASE_URL; this is the development database",
    )
}
