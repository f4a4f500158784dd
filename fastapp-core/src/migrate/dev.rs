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
//! `migration.E042` there, as always. A migration that runs outside a
//! transaction, or whose `down.sql` holds no statement (only the comment
//! `diesel migration generate` writes), is not kept: its edit is
//! `migration.E042` too.

use std::collections::BTreeSet;

use diesel::connection::SimpleConnection;
use diesel::sql_types::Text;
use diesel::{Connection, QueryResult, QueryableByName, RunQueryDsl};

use super::history::{self, ph};
use super::{Migration, MigrationSet};
use crate::db::DbConnection;
use crate::{Error, Finding};

/// Where a dev server keeps what it applied.
const DEV_TABLE: &str = "__fastapp_dev_applied";

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
pub(crate) struct Redone {
    /// The app whose set it is in.
    pub app: String,
    /// The migration's directory name.
    pub name: &'static str,
    /// Whether it was edited (`false`: a newer one of the same set, which
    /// had to be reverted first).
    pub edited: bool,
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

/// Whether `sql` holds a statement (not only `--` comments and blanks).
fn has_statement(sql: &str) -> bool {
    sql.lines()
        .map(|line| line.split("--").next().unwrap_or_default())
        .any(|code| !code.trim().trim_matches(';').trim().is_empty())
}

/// The applied versions of each set, before a dev server migrates (to
/// [`remember`] what it applied, even when a later migration fails).
pub(crate) fn applied(
    conn: &mut DbConnection,
    sets: &[MigrationSet],
) -> Result<Vec<BTreeSet<String>>, Error> {
    sets.iter()
        .map(|set| {
            history::applied(conn, set.table())
                .map(|rows| rows.into_iter().map(|row| row.version).collect())
                .map_err(|err| Error::from(dev_error(err)))
        })
        .collect()
}

/// Records the migrations applied since `before` (from [`applied`]) with
/// their checksum and `down.sql`, when they can be redone: run in a
/// transaction, with a `down.sql` that holds a statement.
pub(crate) fn remember(
    conn: &mut DbConnection,
    sets: &[MigrationSet],
    before: &[BTreeSet<String>],
) -> Result<(), Error> {
    let failed = |err: diesel::result::Error| Error::from(dev_error(err));
    let now = applied(conn, sets)?;
    for ((set, before), now) in sets.iter().zip(before).zip(&now) {
        for version in now.difference(before) {
            let Some(m) = set.by_version(version) else {
                continue;
            };
            let down = m.down.filter(|down| m.run_in_transaction && has_statement(down));
            let Some(down) = down else {
                continue;
            };
            ensure_table(conn).map_err(failed)?;
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
                .bind::<Text, _>(down)
                .execute(conn)
                .map(drop)
            })
            .map_err(failed)?;
        }
    }
    Ok(())
}

/// Reverts, newest first, every applied migration of a set from its oldest
/// edited one on, when a dev server applied each of them as it is recorded
/// now and kept its `down.sql`; otherwise that set is left alone (and
/// [`super::migrate`] refuses the edit with `migration.E042`). Each revert
/// runs the kept `down.sql` in one transaction with forgetting the version.
/// Call it inside [`super::with_lock`], before [`super::migrate`].
pub(crate) fn redo_edited(conn: &mut DbConnection, sets: &[MigrationSet]) -> Result<Vec<Redone>, Error> {
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
        // recorded now, with a down.sql kept, and still in this build.
        let undo: Option<Vec<(&'static Migration, &DevRow)>> = applied[first..]
            .iter()
            .map(|row| {
                let m = set.by_version(&row.version)?;
                let dev = kept.iter().find(|k| k.version == row.version)?;
                (checksums.get(&row.version) == Some(&dev.checksum)).then_some((m, dev))
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
            .map_err(|err| revert_failed(set, m, err))?;
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

fn revert_failed(set: &MigrationSet, m: &Migration, err: diesel::result::Error) -> Error {
    Finding::new(
        "migration.E040",
        format!(
            "cannot revert {} of `{}` (edited since `cargo fastapp dev` applied it) with the down.sql it was applied \
             with: {err}; nothing of it was reverted",
            m.name,
            set.app()
        ),
        "this is the development database: revert by hand (or delete the database) and save again",
    )
    .app(set.app().to_string())
    .location(m.name)
    .into()
}

fn dev_error(err: diesel::result::Error) -> Finding {
    Finding::new(
        "db.E030",
        format!("cannot read or write {DEV_TABLE} (what `cargo fastapp dev` applied): {err}"),
        "check DATABASE_URL; this is the development database",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrate::{self, Target};

    const NOTES: &str = "CREATE TABLE notes (id INTEGER PRIMARY KEY);";
    const NOTES_EDITED: &str = "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);";
    const TAGS: &str = "CREATE TABLE tags (id INTEGER PRIMARY KEY);";

    fn leak(migrations: Vec<Migration>) -> MigrationSet {
        MigrationSet::core(Box::leak(migrations.into_boxed_slice()))
    }

    fn set(
        notes: &'static str,
        notes_down: &'static str,
        tags: Option<(&'static str, bool)>,
    ) -> Vec<MigrationSet> {
        let mut migrations = vec![Migration {
            name: "2024-01-01-000001_create_notes",
            version: "20240101000001",
            up: notes,
            down: Some(notes_down),
            run_in_transaction: true,
        }];
        if let Some((tags, in_transaction)) = tags {
            migrations.push(Migration {
                name: "2024-01-01-000002_create_tags",
                version: "20240101000002",
                up: tags,
                down: Some("DROP TABLE tags;"),
                run_in_transaction: in_transaction,
            });
        }
        vec![leak(migrations)]
    }

    /// Migrates as a dev server does.
    fn dev_migrate(conn: &mut DbConnection, sets: &[MigrationSet]) -> Result<Vec<Redone>, Error> {
        let redone = redo_edited(conn, sets)?;
        let before = applied(conn, sets)?;
        let result = migrate::migrate(conn, sets, sets, Target::Latest);
        remember(conn, sets, &before)?;
        result.map(|_| redone)
    }

    fn columns(conn: &mut DbConnection) -> Vec<String> {
        crate::migrate::baseline::columns(conn, "notes")
            .unwrap()
            .unwrap_or_default()
            .into_iter()
            .map(|(name, _)| name)
            .collect()
    }

    #[test]
    fn an_edited_migration_and_the_newer_ones_are_reverted_and_applied_again() {
        let mut conn = crate::db::connect(":memory:").unwrap();
        dev_migrate(&mut conn, &set(NOTES, "DROP TABLE notes;", Some((TAGS, true)))).unwrap();
        // The older one edited: the newer one goes first, then both return.
        let edited = set(NOTES_EDITED, "DROP TABLE notes;", Some((TAGS, true)));
        let redone = dev_migrate(&mut conn, &edited).unwrap();
        let names: Vec<(&str, bool)> = redone.iter().map(|r| (r.name, r.edited)).collect();
        assert_eq!(
            names,
            [
                ("2024-01-01-000001_create_notes", true),
                ("2024-01-01-000002_create_tags", false)
            ]
        );
        assert_eq!(columns(&mut conn), ["id", "body"]);
        // Applied again by a dev server: edited again, redone again.
        let third = set(NOTES, "DROP TABLE notes;", Some((TAGS, true)));
        assert_eq!(dev_migrate(&mut conn, &third).unwrap().len(), 2);
        assert_eq!(columns(&mut conn), ["id"]);
    }

    #[test]
    fn what_a_dev_server_did_not_apply_or_cannot_undo_keeps_the_edit_refused() {
        let refused = |conn: &mut DbConnection, sets: &[MigrationSet]| {
            let err = dev_migrate(conn, sets).unwrap_err();
            assert_eq!(err.findings()[0].id, "migration.E042");
        };
        // Applied by plain `migrate`: nothing kept.
        let mut conn = crate::db::connect(":memory:").unwrap();
        let first = set(NOTES, "DROP TABLE notes;", None);
        migrate::migrate(&mut conn, &first, &first, Target::Latest).unwrap();
        refused(&mut conn, &set(NOTES_EDITED, "DROP TABLE notes;", None));

        // A newer migration applied by plain `migrate` after the dev server's.
        let mut conn = crate::db::connect(":memory:").unwrap();
        dev_migrate(&mut conn, &set(NOTES, "DROP TABLE notes;", None)).unwrap();
        let both = set(NOTES, "DROP TABLE notes;", Some((TAGS, true)));
        migrate::migrate(&mut conn, &both, &both, Target::Latest).unwrap();
        refused(
            &mut conn,
            &set(NOTES_EDITED, "DROP TABLE notes;", Some((TAGS, true))),
        );

        // A down.sql that is only diesel's comment.
        let mut conn = crate::db::connect(":memory:").unwrap();
        let comment = "-- This file should undo anything in `up.sql`\n";
        dev_migrate(&mut conn, &set(NOTES, comment, None)).unwrap();
        refused(&mut conn, &set(NOTES_EDITED, comment, None));
        assert_eq!(columns(&mut conn), ["id"], "nothing reverted");

        // A migration outside a transaction.
        let mut conn = crate::db::connect(":memory:").unwrap();
        dev_migrate(&mut conn, &set(NOTES, "DROP TABLE notes;", Some((TAGS, false)))).unwrap();
        refused(
            &mut conn,
            &set(
                NOTES,
                "DROP TABLE notes;",
                Some(("CREATE TABLE tags (id INTEGER PRIMARY KEY, x TEXT);", false)),
            ),
        );
    }

    #[test]
    fn what_applied_before_a_failure_is_kept() {
        let mut conn = crate::db::connect(":memory:").unwrap();
        let broken = set(
            NOTES,
            "DROP TABLE notes;",
            Some(("CREATE TABLE nowhere.x (id INT);", true)),
        );
        assert_eq!(
            dev_migrate(&mut conn, &broken).unwrap_err().findings()[0].id,
            "migration.E040"
        );
        // The first one was applied and kept: its edit is redone.
        let edited = set(NOTES_EDITED, "DROP TABLE notes;", Some((TAGS, true)));
        assert_eq!(dev_migrate(&mut conn, &edited).unwrap().len(), 1);
        assert_eq!(columns(&mut conn), ["id", "body"]);
    }

    #[test]
    fn a_statement_is_what_is_not_a_comment() {
        assert!(!has_statement("-- undo\n\n  -- nothing\n"));
        assert!(!has_statement(";"));
        assert!(has_statement("DROP TABLE x; -- gone"));
    }
}
