//! The check before anything runs: applied migrations that are gone or
//! edited, and external apps' migrations that touch tables they do not own.

use std::collections::BTreeMap;

use crate::db::DbConnection;
use crate::{Error, Finding};

use super::{baseline, db_error, guard, history, unfinished_error, Migration, MigrationSet};

/// Checks `sets` before anything runs (reads only): applied migrations
/// that are gone or edited, and external migrations that touch tables they
/// do not own (ownership from `all` the project's sets). Returns every
/// problem found.
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
/// assert!(migrate::verify(&mut conn, &sets, &sets).is_ok());
///
/// // The first migration's up.sql edited after it ran: migration.E042.
/// static EDITED: [Migration; 2] = [
///     Migration { up: "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);", ..MIGRATIONS[0] },
///     MIGRATIONS[1],
/// ];
/// let edited = [MigrationSet::core(&EDITED)];
/// let problems = migrate::verify(&mut conn, &edited, &edited).unwrap_err();
/// assert_eq!(problems[0].findings()[0].id, "migration.E042");
/// ```
pub fn verify(
    conn: &mut DbConnection,
    sets: &[MigrationSet],
    all: &[MigrationSet],
) -> Result<(), Vec<Error>> {
    let mut problems = Vec::new();
    // External apps' migrations still to run, for the ownership guard.
    let mut external_pending: Vec<(&MigrationSet, Vec<&Migration>)> = Vec::new();
    for set in sets {
        let Some(applied) = check_history(conn, set, &mut problems) else {
            continue;
        };
        if set.external {
            // Only what is still to run: an applied migration already did
            // what it did, and its SQL may not change (E042).
            let pending: Vec<&Migration> = set.pending(&applied);
            if !pending.is_empty() {
                external_pending.push((set, pending));
            }
        }
    }
    // Parsed only when an external migration is pending: a server starting
    // on an up-to-date database does not parse SQL.
    if !external_pending.is_empty() {
        let (owners, indexes) = owners(sets, all);
        for (set, pending) in external_pending {
            problems.extend(foreign_tables(set, &pending, &owners, &indexes));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// `set`'s applied migrations, each checked against the build: gone
/// (`migration.E041`), edited (`migration.E042`), unfinished
/// (`migration.E054`); `None` when its history cannot be read.
fn check_history(
    conn: &mut DbConnection,
    set: &MigrationSet,
    problems: &mut Vec<Error>,
) -> Option<Vec<history::AppliedRow>> {
    let read = history::applied(conn, &set.table)
        .and_then(|applied| history::checksums(conn, &set.table).map(|checksums| (applied, checksums)));
    let (applied, checksums) = match read {
        Ok(read) => read,
        Err(err) => {
            problems.push(db_error(set, err));
            return None;
        }
    };
    match history::unfinished(conn, &set.table) {
        Ok(rows) => problems.extend(rows.iter().map(|row| unfinished_error(set, row))),
        Err(err) => problems.push(db_error(set, err)),
    }
    for row in &applied {
        let Some(m) = set.by_version(&row.version) else {
            problems.push(gone(set, row));
            continue;
        };
        match checksums.get(&row.version) {
            Some(recorded) if *recorded != m.checksum() => problems.push(Error::from(
                Finding::new(
                    "migration.E042",
                    format!(
                        "migration {} of `{}` was edited after it was applied (up.sql checksum {} ≠ recorded {})",
                        m.name,
                        set.app,
                        &m.checksum()[..12],
                        recorded.chars().take(12).collect::<String>()
                    ),
                    "restore the migration's original SQL and put the change in a new migration",
                )
                .app(set.app.clone())
                .location(format!("{}/up.sql", m.name)),
            )),
            _ => {}
        }
    }
    Some(applied)
}

/// `migration.E041`: an applied version whose migration is not in the build.
fn gone(set: &MigrationSet, row: &history::AppliedRow) -> Error {
    Finding::new(
        "migration.E041",
        format!(
            "migration {} of `{}` is applied (in {}, on {}) but its directory is gone",
            row.version, set.app, set.table, row.run_on
        ),
        format!(
            "if a newer build of the project applied it, run that build (or rebuild this one from the same \
             source); else restore the migration directory (e.g. from version control); if it was removed \
             on purpose, revert its changes by hand and delete version {} from {}",
            row.version, set.table
        ),
    )
    .app(set.app.clone())
    .location(format!("{} {}", set.table, row.version))
    .into()
}

/// Which set creates which table, and which table each index is on, from
/// the SQL of every migration of every set (core first, whatever the run
/// order or selection). Views count as their creator's (an `INSTEAD OF`
/// trigger on one's own view is one's own business); indexes as their
/// table's.
fn owners<'a>(
    sets: &'a [MigrationSet],
    all: &'a [MigrationSet],
) -> (BTreeMap<String, &'a str>, BTreeMap<String, String>) {
    let mut owners: BTreeMap<String, &str> = BTreeMap::new();
    let mut indexes: BTreeMap<String, String> = BTreeMap::new();
    let core_first = all
        .iter()
        .filter(|s| !s.external)
        .chain(all.iter().filter(|s| s.external));
    for set in core_first.chain(sets) {
        for m in &set.migrations {
            let (touched, created_indexes) = guard::tables_and_indexes(m.up);
            for (action, table) in touched {
                if matches!(action, guard::Action::Create | guard::Action::View) {
                    owners.entry(table).or_insert(&set.app);
                }
            }
            for (index, table) in created_indexes {
                indexes.entry(index).or_insert(table);
            }
        }
    }
    // A baseline takes over the tables it creates that core's migrations
    // named for its app created (the project it was extracted from): never
    // another app's, nor one of core's own.
    for set in all.iter().chain(sets).filter(|s| s.external) {
        for m in set.migrations.iter().filter(|m| baseline::is_baseline(m.up)) {
            for table in baseline::tables(m.up) {
                let handed_over = match owners.get(&table.name) {
                    None => true,
                    Some(&"core") => created_only_by(all, &table.name, &set.app),
                    Some(owner) => *owner == set.app,
                };
                if handed_over {
                    owners.insert(table.name, &set.app);
                }
            }
        }
    }
    (owners, indexes)
}

/// Whether every migration of core's sets in `all` that creates `table` is
/// named for `app` (`<version>_<app>_…`, as `app new` and `makemigrations`
/// name an internal app's).
pub(super) fn created_only_by(all: &[MigrationSet], table: &str, app: &str) -> bool {
    all.iter()
        .filter(|s| !s.external)
        .flat_map(|s| s.migrations.iter())
        .filter(|m| {
            guard::tables_touched_leniently(m.up)
                .iter()
                .any(|(action, t)| *action == guard::Action::Create && t == table)
        })
        .all(|m| {
            m.name
                .split_once('_')
                .is_some_and(|(_, what)| what.strip_prefix(app).is_some_and(|rest| rest.starts_with('_')))
        })
}

/// `migration.E043`: statements of an external app's pending migrations
/// (up and down) that change a table the app does not own;
/// `migration.E051`: SQL the parser cannot read, unless the file carries
/// [`guard::UNCHECKED`] (then its readable statements are still checked).
pub(super) fn foreign_tables(
    set: &MigrationSet,
    pending: &[&Migration],
    owners: &BTreeMap<String, &str>,
    indexes: &BTreeMap<String, String>,
) -> Vec<Error> {
    let mut problems = Vec::new();
    for m in pending {
        for (file, sql) in std::iter::once(("up.sql", m.up)).chain(m.down.map(|down| ("down.sql", down))) {
            let location = format!("{}/{file}", m.name);
            let touched = match guard::tables_touched(sql) {
                Ok(touched) => touched,
                Err(_) if guard::opted_out(sql) => guard::tables_touched_leniently(sql),
                Err(unparsed) => {
                    problems.push(Error::from(
                        Finding::new(
                            "migration.E051",
                            format!(
                                "migration {} of external app `{}`: {file} cannot be parsed, so its tables cannot be checked ({})",
                                m.name, set.app, unparsed.message
                            ),
                            format!(
                                "write SQL that SQLite or PostgreSQL accepts, or put the line `{}` in {location} to let the unreadable statements through (reviewers see it)",
                                guard::UNCHECKED
                            ),
                        )
                        .app(set.app.clone())
                        .location(location.clone()),
                    ));
                    continue;
                }
            };
            for (action, name) in touched {
                // An index is its table's: `drops index `i` of table `t``.
                let (what, table) = match action {
                    guard::Action::DropIndex | guard::Action::AlterIndex => match indexes.get(&name) {
                        Some(table) => (format!("`{name}` of table `{table}`,"), Some(table.clone())),
                        None => (format!("`{name}`,"), None),
                    },
                    _ => (format!("table `{name}`,"), Some(name.clone())),
                };
                let owner = table.as_ref().and_then(|table| owners.get(table).copied());
                if owner == Some(set.app.as_str()) {
                    continue;
                }
                let owner = match owner {
                    Some("core") => "the shared schema (core and internal apps)".to_string(),
                    Some(owner) => format!("external app `{owner}`"),
                    None => "no migration of this app".to_string(),
                };
                problems.push(Error::from(
                    Finding::new(
                        "migration.E043",
                        format!(
                            "migration {} of external app `{}` {action} {what} which belongs to {owner}",
                            m.name, set.app
                        ),
                        format!(
                            "an external app's migrations may only create and change its own tables (reading others' is fine); \
                             remove this statement from {location} (change shared tables with a core migration)"
                        ),
                    )
                    .app(set.app.clone())
                    .location(location.clone()),
                ));
            }
        }
    }
    problems
}
