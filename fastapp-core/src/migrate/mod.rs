//! The migration runner: one code path for core's shared migrations
//! (tracked in diesel's own `__diesel_schema_migrations`, so the diesel CLI
//! keeps working) and each external app's embedded migrations (tracked in
//! `__fastapp_migrations_<app>`).
//!
//! Before anything runs, every selected set is verified: an applied version
//! whose migration is gone, an applied migration whose SQL changed since it
//! ran (checksums in `__fastapp_checksums`), and an external app's migration
//! that touches a table it does not own are errors. Each migration then
//! runs in its own transaction with the row that records it. One whose
//! `metadata.toml` says `run_in_transaction = false` (for `CREATE INDEX
//! CONCURRENTLY`) holds exactly one statement, and is marked unfinished
//! while it runs: if it fails or the runner dies, the next run refuses
//! (`migration.E054`) until `migrate resolve` says what happened. The caller
//! holds [`with_lock`] around the whole run.

pub mod baseline;
pub(crate) mod dev;
pub(crate) mod drift;
mod fault;
pub mod guard;
mod history;
mod lock;

use std::collections::BTreeMap;

use diesel::connection::SimpleConnection;
use diesel::Connection;
use sha2::{Digest, Sha256};

use crate::db::DbConnection;
use crate::{Error, Finding};

pub use history::{AppliedRow, UnfinishedRow, CHECKSUM_TABLE, UNFINISHED_TABLE};
pub use lock::with_lock;

/// One migration, embedded with its SQL by `project!()` / `#[external_app]`
/// (written out here by hand).
///
/// ```
/// use fastapp_core::migrate::{Migration, MigrationSet};
///
/// static MIGRATIONS: [Migration; 1] = [Migration {
///     name: "2024-01-01-000001_create_notes",
///     version: "20240101000001",
///     up: "CREATE TABLE notes (id INTEGER PRIMARY KEY);",
///     down: Some("DROP TABLE notes;"),
///     run_in_transaction: true,
/// }];
/// let set = MigrationSet::core(&MIGRATIONS);
/// assert_eq!(set.migrations()[0].name, "2024-01-01-000001_create_notes");
/// ```
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

impl Migration {
    /// SHA-256 of `up.sql`, hex: recorded when applied, compared afterwards.
    ///
    /// ```
    /// let m = fastapp_core::migrate::Migration {
    ///     name: "1_a", version: "1", up: "CREATE TABLE a (id INT);", down: None, run_in_transaction: true,
    /// };
    /// assert_eq!(m.checksum().len(), 64);
    /// ```
    pub fn checksum(&self) -> String {
        Sha256::digest(self.up.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

impl Migration {
    /// The internal app a shared migration belongs to, read from its name:
    /// `<version>_<app>_<what>`, as `makemigrations` names them (the longest
    /// matching app wins); `None` for core's own migrations.
    ///
    /// ```
    /// let m = fastapp_core::migrate::Migration {
    ///     name: "2024-01-01-000002_blog_create_posts", version: "20240101000002",
    ///     up: "", down: None, run_in_transaction: true,
    /// };
    /// assert_eq!(m.internal_app(&["accounts", "blog"]), Some("blog"));
    /// assert_eq!(m.internal_app(&["blo"]), None);
    /// ```
    pub fn internal_app<'a>(&self, apps: &[&'a str]) -> Option<&'a str> {
        let (_, what) = self.name.split_once('_')?;
        apps.iter()
            .copied()
            .filter(|app| what.strip_prefix(app).is_some_and(|rest| rest.starts_with('_')))
            .max_by_key(|app| app.len())
    }

    /// The internal apps a shared migration belongs to: the owners (by
    /// `table_owner`, e.g. from the apps' `#[model]`s) of the tables it
    /// creates, alters or drops; when none of them has an owner, the app its
    /// name starts with ([`Migration::internal_app`]); empty for core's own.
    ///
    /// ```
    /// let m = fastapp_core::migrate::Migration {
    ///     name: "2024-05-01-000000_add_slug", version: "20240501000000",
    ///     up: "ALTER TABLE posts ADD COLUMN slug TEXT;", down: None, run_in_transaction: true,
    /// };
    /// let owner = |table: &str| (table == "posts").then_some("blog");
    /// assert_eq!(m.owners(&["accounts", "blog"], owner), ["blog"].into());
    /// assert!(m.owners(&["accounts", "blog"], |_| None).is_empty());
    /// ```
    pub fn owners<'a>(
        &self,
        apps: &[&'a str],
        table_owner: impl Fn(&str) -> Option<&'a str>,
    ) -> std::collections::BTreeSet<&'a str> {
        let by_table: std::collections::BTreeSet<&'a str> = guard::tables_touched_leniently(self.up)
            .iter()
            .filter_map(|(_, table)| table_owner(table))
            .collect();
        if by_table.is_empty() {
            self.internal_app(apps).into_iter().collect()
        } else {
            by_table
        }
    }
}

/// The version table diesel uses, and fastapp uses for core's shared migrations.
///
/// ```
/// use fastapp_core::migrate::{MigrationSet, DIESEL_VERSION_TABLE};
/// assert_eq!(MigrationSet::core(&[]).table(), DIESEL_VERSION_TABLE);
/// ```
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
    external: bool,
    migrations: Vec<&'static Migration>,
}

impl MigrationSet {
    /// Core's shared migrations (core and internal apps).
    ///
    /// ```
    /// let set = fastapp_core::migrate::MigrationSet::core(&[]);
    /// assert_eq!((set.app(), set.table()), ("core", fastapp_core::migrate::DIESEL_VERSION_TABLE));
    /// ```
    pub fn core(migrations: &'static [Migration]) -> MigrationSet {
        MigrationSet {
            app: "core".into(),
            table: DIESEL_VERSION_TABLE.into(),
            external: false,
            migrations: sorted(migrations),
        }
    }

    /// An external app's migrations; `app` must be `[a-z][a-z0-9_]*`, since it
    /// becomes part of a table name (`migration.E047` otherwise).
    ///
    /// ```
    /// use fastapp_core::migrate::MigrationSet;
    /// assert_eq!(MigrationSet::external("newsletter", &[]).unwrap().app(), "newsletter");
    /// let err = MigrationSet::external("News", &[]).unwrap_err();
    /// assert_eq!(err.findings()[0].id, "migration.E047");
    /// ```
    pub fn external(app: &str, migrations: &'static [Migration]) -> Result<MigrationSet, Error> {
        if !crate::is_app_name(app) {
            return Err(Error::from(Finding::new(
                "migration.E047",
                format!("app name `{app}` cannot name a version table"),
                "app names are `[a-z][a-z0-9_]*`; rename the app",
            )));
        }
        Ok(MigrationSet {
            app: app.into(),
            table: format!("__fastapp_migrations_{app}"),
            external: true,
            migrations: sorted(migrations),
        })
    }

    /// The same set with only the migrations `keep` accepts (a partial boot
    /// of the test kit leaves out the shared migrations of other apps).
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
    /// let notes_only = sets[0].clone().retain(|m| m.name.ends_with("_create_notes"));
    /// assert_eq!(notes_only.migrations().len(), 1);
    /// ```
    pub fn retain(mut self, keep: impl Fn(&Migration) -> bool) -> MigrationSet {
        self.migrations.retain(|m| keep(m));
        self
    }

    /// The app the set belongs to (`core` for the shared set).
    ///
    /// ```
    /// assert_eq!(fastapp_core::migrate::MigrationSet::core(&[]).app(), "core");
    /// ```
    pub fn app(&self) -> &str {
        &self.app
    }

    /// The version table.
    ///
    /// ```
    /// let set = fastapp_core::migrate::MigrationSet::external("shop", &[]).unwrap();
    /// assert_eq!(set.table(), "__fastapp_migrations_shop");
    /// ```
    pub fn table(&self) -> &str {
        &self.table
    }

    /// The migrations, in version order (whatever order they were given in).
    ///
    /// ```
    /// use fastapp_core::migrate::{Migration, MigrationSet};
    /// static MIGRATIONS: [Migration; 2] = [
    ///     Migration { name: "2_b", version: "2", up: "", down: None, run_in_transaction: true },
    ///     Migration { name: "1_a", version: "1", up: "", down: None, run_in_transaction: true },
    /// ];
    /// let names: Vec<_> = MigrationSet::core(&MIGRATIONS).migrations().iter().map(|m| m.name).collect();
    /// assert_eq!(names, ["1_a", "2_b"]);
    /// ```
    pub fn migrations(&self) -> &[&'static Migration] {
        &self.migrations
    }

    /// The migration of `version`, looked up in the sorted list (start-up
    /// matches every applied row to its migration: no scan per row).
    pub(crate) fn by_version(&self, version: &str) -> Option<&'static Migration> {
        self.migrations
            .binary_search_by(|m| m.version.cmp(version))
            .ok()
            .map(|i| self.migrations[i])
    }

    /// The migrations whose version is not among `applied`, in order.
    fn pending(&self, applied: &[history::AppliedRow]) -> Vec<&'static Migration> {
        let done: std::collections::HashSet<&str> = applied.iter().map(|row| row.version.as_str()).collect();
        self.migrations
            .iter()
            .copied()
            .filter(|m| !done.contains(m.version))
            .collect()
    }

    /// The migration a user named: its directory name, its version
    /// (`20240101000001`), or its dashed prefix (`2024-01-01-000001`).
    ///
    /// ```
    /// use fastapp_core::migrate::{Migration, MigrationSet};
    /// static M: [Migration; 1] = [Migration {
    ///     name: "2024-01-01-000001_create_users", version: "20240101000001",
    ///     up: "", down: None, run_in_transaction: true,
    /// }];
    /// let set = MigrationSet::core(&M);
    /// assert!(set.find("2024-01-01-000001").is_ok());
    /// assert!(set.find("20240101000001").is_ok());
    /// assert!(set.find("2024-01-01-000001_create_users").is_ok());
    /// let err = set.find("2024-01-01-000001_totally_bogus").unwrap_err();
    /// assert_eq!(err.findings()[0].id, "migration.E045");
    /// ```
    pub fn find(&self, target: &str) -> Result<&'static Migration, Error> {
        let wanted = normalize_version(target);
        // A directory name (it has a `_`) must match whole: a bogus name
        // that shares a real one's version names nothing.
        let by_version = !target.contains('_');
        self.migrations
            .iter()
            .copied()
            .find(|m| m.name == target || (by_version && m.version == wanted))
            .ok_or_else(|| {
                Error::from(Finding::new(
                    "migration.E045",
                    format!("`{target}` is not a migration of `{}`", self.app),
                    format!(
                        "use one of: {}",
                        self.migrations
                            .iter()
                            .map(|m| m.name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ))
            })
    }
}

fn sorted(migrations: &'static [Migration]) -> Vec<&'static Migration> {
    let mut list: Vec<&'static Migration> = migrations.iter().collect();
    list.sort_by_key(|m| m.version);
    list
}

fn normalize_version(target: &str) -> String {
    target.split('_').next().unwrap_or(target).replace('-', "")
}

/// What one set looks like in the database (see [`status`], whose example
/// reads every field).
#[derive(Debug, Clone)]
pub struct SetStatus {
    /// The app (`core` for the shared set).
    pub app: String,
    /// Its version table.
    pub table: String,
    /// Applied migrations, oldest first: row, and the migration if still present.
    pub applied: Vec<(AppliedRow, Option<&'static Migration>)>,
    /// Pending migrations, in run order.
    pub pending: Vec<&'static Migration>,
    /// Versions of applied migrations whose SQL changed since they ran
    /// (recorded checksum ≠ the embedded up.sql's; `migration.E042`).
    pub edited: Vec<String>,
    /// Migrations run outside a transaction that failed or were cut off
    /// (`migration.E054`), until `migrate resolve`.
    pub unfinished: Vec<UnfinishedRow>,
}

/// Status of every set; reads only, creates nothing.
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
/// migrate::migrate(&mut conn, &sets, &sets, migrate::Target::To(0, &MIGRATIONS[0])).unwrap();
/// let status = &migrate::status(&mut conn, &sets).unwrap()[0];
/// assert_eq!(status.applied[0].0.version, "20240101000001");
/// assert_eq!(status.pending[0].name, "2024-01-01-000002_add_title");
/// assert!(status.edited.is_empty() && status.unfinished.is_empty());
/// ```
pub fn status(conn: &mut DbConnection, sets: &[MigrationSet]) -> Result<Vec<SetStatus>, Error> {
    sets.iter()
        .map(|set| {
            let applied = history::applied(conn, &set.table).map_err(|e| db_error(set, e))?;
            let checksums = history::checksums(conn, &set.table).map_err(|e| db_error(set, e))?;
            let unfinished = history::unfinished(conn, &set.table).map_err(|e| db_error(set, e))?;
            let pending = set.pending(&applied);
            let applied = applied
                .into_iter()
                .map(|row| {
                    let migration = set.by_version(&row.version);
                    (row, migration)
                })
                .collect::<Vec<_>>();
            let edited = applied
                .iter()
                .filter_map(|(row, migration)| {
                    let recorded = checksums.get(&row.version)?;
                    (*recorded != (*migration)?.checksum()).then(|| row.version.clone())
                })
                .collect();
            Ok(SetStatus {
                app: set.app.clone(),
                table: set.table.clone(),
                applied,
                pending,
                edited,
                unfinished,
            })
        })
        .collect()
}

fn db_error(set: &MigrationSet, err: diesel::result::Error) -> Error {
    Finding::new(
        "db.E030",
        format!(
            "cannot read version table `{}` of `{}`: {err}",
            set.table, set.app
        ),
        "check that DATABASE_URL names the project's database and that its user may read and create tables",
    )
    .app(set.app.clone())
    .location(set.table.clone())
    .into()
}

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
        let applied = match history::applied(conn, &set.table) {
            Ok(applied) => applied,
            Err(err) => {
                problems.push(db_error(set, err));
                continue;
            }
        };
        let checksums = match history::checksums(conn, &set.table) {
            Ok(checksums) => checksums,
            Err(err) => {
                problems.push(db_error(set, err));
                continue;
            }
        };
        match history::unfinished(conn, &set.table) {
            Ok(rows) => problems.extend(rows.iter().map(|row| unfinished_error(set, row))),
            Err(err) => problems.push(db_error(set, err)),
        }
        for row in &applied {
            match set.by_version(&row.version) {
                None => problems.push(Error::from(Finding::new("migration.E041", format!(
                        "migration {} of `{}` is applied (in {}, on {}) but its directory is gone",
                        row.version, set.app, set.table, row.run_on
                    ), format!(
                        "if a newer build of the project applied it, run that build (or rebuild this one from the same \
                         source); else restore the migration directory (e.g. from version control); if it was removed \
                         on purpose, revert its changes by hand and delete version {} from {}",
                        row.version, set.table
                    )).app(set.app.clone()).location(format!("{} {}", set.table, row.version)))),
                Some(m) => {
                    if let Some(recorded) = checksums.get(&row.version) {
                        if *recorded != m.checksum() {
                            problems.push(Error::from(Finding::new("migration.E042", format!(
                                    "migration {} of `{}` was edited after it was applied (up.sql checksum {} ≠ recorded {})",
                                    m.name,
                                    set.app,
                                    &m.checksum()[..12],
                                    recorded.chars().take(12).collect::<String>()
                                ), "restore the migration's original SQL and put the change in a new migration")
                                .app(set.app.clone())
                                .location(format!("{}/up.sql", m.name))));
                        }
                    }
                }
            }
        }
        if set.external {
            // Only what is still to run: an applied migration already did
            // what it did, and its SQL may not change (E042).
            let pending: Vec<&Migration> = set.pending(&applied);
            if !pending.is_empty() {
                external_pending.push((set, pending));
            }
        }
    }
    if !external_pending.is_empty() {
        // Which set creates which table, from the SQL of every migration of
        // every set (core first, whatever the run order or selection).
        // Parsed only when an external migration is pending: a server
        // starting on an up-to-date database does not parse SQL.
        // Views count as their creator's (an `INSTEAD OF` trigger on one's
        // own view is one's own business); indexes as their table's.
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
        // A baseline takes over the tables it creates that core's
        // migrations named for its app created (the project it was
        // extracted from): never another app's, nor one of core's own.
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

/// Whether every migration of core's sets in `all` that creates `table` is
/// named for `app` (`<version>_<app>_…`, as `app new` and `makemigrations`
/// name an internal app's).
fn created_only_by(all: &[MigrationSet], table: &str, app: &str) -> bool {
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
fn foreign_tables(
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

/// Where a run stops (see [`plan`] and [`migrate`], whose examples use both).
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// Every pending migration.
    Latest,
    /// Up to and including this migration of this set (by index in `sets`).
    To(usize, &'a Migration),
}

/// Pending migrations of `sets` in run order, up to `target` (reads only).
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
/// use fastapp_core::migrate::Target;
/// assert_eq!(migrate::plan(&mut conn, &sets, Target::Latest).unwrap().len(), 2);
/// let first = migrate::plan(&mut conn, &sets, Target::To(0, &MIGRATIONS[0])).unwrap();
/// assert_eq!(first, [(0, &MIGRATIONS[0])]);
/// ```
pub fn plan(
    conn: &mut DbConnection,
    sets: &[MigrationSet],
    target: Target<'_>,
) -> Result<Vec<(usize, &'static Migration)>, Error> {
    let statuses = status(conn, sets)?;
    let mut out = Vec::new();
    for (index, status) in statuses.iter().enumerate() {
        for m in &status.pending {
            match target {
                Target::Latest => out.push((index, *m)),
                Target::To(t, last) if index < t || (index == t && m.version <= last.version) => {
                    out.push((index, *m))
                }
                Target::To(..) => {}
            }
        }
    }
    Ok(out)
}

/// One migration applied or reverted (see the example on [`migrate`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done {
    /// The app.
    pub app: String,
    /// The migration's directory name.
    pub name: &'static str,
    /// A baseline recorded as applied without running, its tables being
    /// there already (see [`baseline`]).
    pub adopted: bool,
}

/// Verifies, then applies the pending migrations of `sets` up to `target`,
/// in order. A failing migration is rolled back (when it runs in a
/// transaction) and stops the run; the ones before it stay applied.
/// Call it inside [`with_lock`].
///
/// ```
/// use std::time::Duration;
/// use fastapp_core::{db, migrate::{self, Done, Migration, MigrationSet, Target}};
///
/// static MIGRATIONS: [Migration; 2] = [
///     Migration { name: "2024-01-01-000001_create_notes", version: "20240101000001",
///         up: "CREATE TABLE notes (id INTEGER PRIMARY KEY);", down: Some("DROP TABLE notes;"), run_in_transaction: true },
///     Migration { name: "2024-01-01-000002_broken", version: "20240101000002",
///         up: "ALTER TABLE nowhere ADD COLUMN x TEXT;", down: None, run_in_transaction: true },
/// ];
/// let sets = [MigrationSet::core(&MIGRATIONS)];
/// let url = ":memory:";
/// let mut conn = db::connect(url).unwrap();
/// let done = migrate::with_lock(url, &mut conn, Duration::from_secs(5), |conn| {
///     migrate::migrate(conn, &sets, &sets, Target::To(0, &MIGRATIONS[0]))
/// })
/// .unwrap();
/// assert_eq!(done, [Done { app: "core".into(), name: "2024-01-01-000001_create_notes", adopted: false }]);
///
/// let err = migrate::migrate(&mut conn, &sets, &sets, Target::Latest).unwrap_err();
/// // The broken one was rolled back; the one before it stays applied.
/// assert_eq!(err.findings()[0].id, "migration.E040");
/// assert_eq!(migrate::status(&mut conn, &sets).unwrap()[0].applied.len(), 1);
/// ```
pub fn migrate(
    conn: &mut DbConnection,
    sets: &[MigrationSet],
    all: &[MigrationSet],
    target: Target<'_>,
) -> Result<Vec<Done>, Error> {
    verify(conn, sets, all).map_err(Error::many)?;
    // Trust on first use: record checksums of versions applied by others
    // (the diesel CLI) so that later edits are caught.
    for set in sets {
        history::ensure_tables(conn, &set.table).map_err(|e| db_error(set, e))?;
        let recorded = history::checksums(conn, &set.table).map_err(|e| db_error(set, e))?;
        for row in history::applied(conn, &set.table).map_err(|e| db_error(set, e))? {
            if recorded.contains_key(&row.version) {
                continue;
            }
            if let Some(m) = set.by_version(&row.version) {
                history::record_checksum(conn, &set.table, &row.version, &m.checksum())
                    .map_err(|e| db_error(set, e))?;
            }
        }
    }
    let plan = plan(conn, sets, target)?;
    // Nothing runs unless every migration outside a transaction is one statement.
    let several: Vec<Error> = plan
        .iter()
        .filter_map(|(index, m)| one_statement(&sets[*index], m, "up.sql", m.up).err())
        .collect();
    if !several.is_empty() {
        return Err(Error::many(several));
    }
    check_baselines(conn, sets, &plan)?;
    let mut done = Vec::new();
    for (index, migration) in plan {
        let set = &sets[index];
        if set.external && baseline::is_baseline(migration.up) {
            match baseline::inspect(conn, migration.up).map_err(|e| db_error(set, e))? {
                baseline::Presence::Absent => {}
                baseline::Presence::Present => {
                    conn.transaction(|conn| {
                        history::record(conn, &set.table, migration.version, &migration.checksum())
                    })
                    .map_err(|e| db_error(set, e))?;
                    tracing::info!(app = %set.app, migration = migration.name, "adopted baseline: its tables are there");
                    done.push(Done {
                        app: set.app.clone(),
                        name: migration.name,
                        adopted: true,
                    });
                    continue;
                }
                baseline::Presence::Differs(differences) => {
                    return Err(baseline::differs(set, migration.name, &differences))
                }
            }
        }
        step(conn, &set.table, migration, "up", migration.up, |conn| {
            history::record(conn, &set.table, migration.version, &migration.checksum())
        })
        .map_err(|err| migration_failed(set, migration, "up.sql", err))?;
        tracing::info!(app = %set.app, migration = migration.name, "applied migration");
        done.push(Done {
            app: set.app.clone(),
            name: migration.name,
            adopted: false,
        });
        fault::point("migrate.committed");
    }
    Ok(done)
}

/// [`migrate`] of every set to the latest, on a scratch database (for
/// `check`'s drift check and `makemigrations`): the runner's log lines are
/// about that database, not the user's, so none is emitted.
pub(crate) fn migrate_scratch(conn: &mut DbConnection, sets: &[MigrationSet]) -> Result<Vec<Done>, Error> {
    tracing::subscriber::with_default(tracing::subscriber::NoSubscriber::default(), || {
        migrate(conn, sets, sets, Target::Latest)
    })
}

/// `migration.E057` before anything runs, for a baseline whose tables are
/// partly there or differ, when no migration before it in `plan` touches
/// them (one that does may be what completes them: then it is judged when
/// it is reached).
fn check_baselines(
    conn: &mut DbConnection,
    sets: &[MigrationSet],
    plan: &[(usize, &'static Migration)],
) -> Result<(), Error> {
    for (at, (index, m)) in plan.iter().enumerate() {
        let set = &sets[*index];
        if !set.external || !baseline::is_baseline(m.up) {
            continue;
        }
        let tables: Vec<String> = baseline::tables(m.up).into_iter().map(|t| t.name).collect();
        let touched_before = plan[..at].iter().any(|(_, earlier)| {
            guard::tables_touched_leniently(earlier.up)
                .iter()
                .any(|(_, table)| tables.contains(table))
        });
        if touched_before {
            continue;
        }
        if let baseline::Presence::Differs(differences) =
            baseline::inspect(conn, m.up).map_err(|e| db_error(set, e))?
        {
            return Err(baseline::differs(set, m.name, &differences));
        }
    }
    Ok(())
}

/// Runs `sql` of `migration`, then `record`s it in the version table: both
/// in one transaction; or, for `run_in_transaction = false`, the statement
/// alone, marked unfinished (`direction` `up` or `down`) until it is
/// recorded, the mark left with the error if it fails.
fn step(
    conn: &mut DbConnection,
    table: &str,
    migration: &Migration,
    direction: &str,
    sql: &str,
    record: impl Fn(&mut DbConnection) -> diesel::QueryResult<()>,
) -> diesel::QueryResult<()> {
    if migration.run_in_transaction {
        return conn.transaction(|conn| {
            conn.batch_execute(sql)?;
            fault::point("migrate.ran");
            record(conn)?;
            fault::point("migrate.recorded");
            Ok(())
        });
    }
    history::mark_started(conn, table, migration.version, direction)?;
    if let Err(err) = conn.batch_execute(sql) {
        // The mark stays either way; the error is a courtesy to the reader.
        if let Err(also) = history::mark_failed(conn, table, migration.version, &err.to_string()) {
            tracing::warn!(migration = migration.name, error = %also, "could not record the migration's failure");
        }
        return Err(err);
    }
    fault::point("migrate.ran");
    conn.transaction(|conn| {
        record(conn)?;
        fault::point("migrate.recorded");
        history::forget_unfinished(conn, table, migration.version)
    })
}

/// `migration.E055`: a migration that runs outside a transaction holds
/// more than one statement (PostgreSQL runs several sent at once in one
/// implicit transaction, which `CREATE INDEX CONCURRENTLY` refuses, and a
/// failure half-way would leave the rest unknown).
fn one_statement(set: &MigrationSet, m: &Migration, file: &str, sql: &str) -> Result<(), Error> {
    if m.run_in_transaction {
        return Ok(());
    }
    let count = guard::statement_count(sql);
    if count == 1 {
        return Ok(());
    }
    Err(Finding::new(
        "migration.E055",
        format!(
            "migration {} of `{}` has run_in_transaction = false but its {file} holds {count} statements (nothing was run)",
            m.name, set.app
        ),
        "a migration outside a transaction must be exactly one statement: move the statement that needs it \
         (e.g. CREATE INDEX CONCURRENTLY) into a migration of its own, and the rest into one that runs in a transaction",
    )
    .app(set.app.clone())
    .location(format!("{}/{file}", m.name))
    .into())
}

/// `migration.E054`: a migration run outside a transaction failed or was
/// cut off, so what it changed is unknown.
fn unfinished_error(set: &MigrationSet, row: &UnfinishedRow) -> Error {
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
/// Call it inside [`with_lock`].
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

/// On PostgreSQL, makes each statement of the session give up after
/// `limit` waiting for a table lock (`lock_timeout`), so a migration never
/// queues forever behind a long query, with every query on that table
/// queued behind it; zero waits forever. Nothing on SQLite.
///
/// ```
/// use diesel::{sql_types::Text, RunQueryDsl};
/// use fastapp_core::{db, migrate};
/// let five = std::time::Duration::from_secs(5);
/// migrate::set_ddl_lock_timeout(&mut db::connect(":memory:").unwrap(), five).unwrap(); // nothing to set
/// if let Some(server) = std::env::var("FASTAPP_TEST_DATABASE_URL").ok().filter(|url| !url.is_empty()) {
///     let mut conn = db::connect(&server).unwrap();
///     migrate::set_ddl_lock_timeout(&mut conn, five).unwrap();
///     let shown: String = diesel::select(diesel::dsl::sql::<Text>("current_setting('lock_timeout')")).get_result(&mut conn).unwrap();
///     assert_eq!(shown, "5s");
/// }
/// ```
pub fn set_ddl_lock_timeout(conn: &mut DbConnection, limit: std::time::Duration) -> Result<(), Error> {
    if conn.backend() != crate::db::Backend::Postgres {
        return Ok(());
    }
    conn.batch_execute(&format!("SET lock_timeout = {}", limit.as_millis()))
        .map_err(|err| {
            Finding::new(
                "db.E030",
                format!("cannot set lock_timeout: {err}"),
                "check DATABASE_URL",
            )
            .into()
        })
}

/// How far [`revert`] goes (see its example).
#[derive(Debug, Clone, Copy)]
pub enum Revert<'a> {
    /// The newest `n` applied migrations.
    Steps(usize),
    /// Every applied migration newer than this one (which stays applied).
    To(&'a Migration),
}

/// Reverts applied migrations of `set`, newest first, each with its
/// `down.sql` in a transaction. Call it inside [`with_lock`]. When one of
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

/// Every table of the database's current schema (for `check`), fastapp's
/// and diesel's version tables included.
///
/// ```
/// use diesel::connection::SimpleConnection;
/// let mut conn = fastapp_core::db::connect(":memory:").unwrap();
/// conn.batch_execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)").unwrap();
/// assert_eq!(fastapp_core::migrate::database_tables(&mut conn).unwrap(), ["notes"]);
/// ```
pub fn database_tables(conn: &mut DbConnection) -> Result<Vec<String>, Error> {
    history::all_tables(conn).map_err(|err| {
        Finding::new(
            "db.E030",
            format!("cannot list the database's tables: {err}"),
            "check DATABASE_URL",
        )
        .into()
    })
}

/// `migration.E040`: a migration's `file` failed.
fn migration_failed(set: &MigrationSet, m: &Migration, file: &str, err: diesel::result::Error) -> Error {
    let message = err.to_string();
    let mut fix = if m.run_in_transaction {
        "correct the migration's SQL and run `migrate` again; this migration was rolled back, earlier ones stay applied"
            .to_string()
    } else {
        format!(
            "it has run_in_transaction = false, so it was NOT rolled back: look at what it left (e.g. an INVALID index \
             from CREATE INDEX CONCURRENTLY: DROP INDEX it), correct the cause, then run `migrate resolve {} {} --rolled-back` \
             and `migrate` again; earlier migrations stay applied",
            set.app, m.name
        )
    };
    if message.contains("lock timeout") {
        fix = format!(
            "another session held a lock on a table this migration changes for longer than `ddl_lock_timeout`: run \
             `migrate` again once that query or transaction is over (or raise `ddl_lock_timeout`); {fix}"
        );
    }
    Finding::new(
        "migration.E040",
        format!("migration {} of `{}` failed ({file}): {message}", m.name, set.app),
        fix,
    )
    .app(set.app.clone())
    .location(format!("{}/{file}", m.name))
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    static TWO_STATEMENTS: [Migration; 1] = [Migration {
        name: "2024-01-01-000001_two",
        version: "20240101000001",
        up: "CREATE TABLE a (id INT);\nCREATE INDEX a_id ON a (id);",
        down: None,
        run_in_transaction: false,
    }];

    static FAILING: [Migration; 2] = [
        Migration {
            name: "2024-01-01-000001_create_a",
            version: "20240101000001",
            up: "CREATE TABLE a (id INT);",
            down: None,
            run_in_transaction: true,
        },
        Migration {
            name: "2024-01-01-000002_fill_b",
            version: "20240101000002",
            up: "INSERT INTO b (id) VALUES (1); -- no table b",
            down: None,
            run_in_transaction: false,
        },
    ];

    fn run(conn: &mut DbConnection, set: &MigrationSet) -> Result<Vec<Done>, Error> {
        migrate(
            conn,
            std::slice::from_ref(set),
            std::slice::from_ref(set),
            Target::Latest,
        )
    }

    #[test]
    fn a_migration_outside_a_transaction_must_be_one_statement() {
        let mut conn = crate::db::connect(":memory:").unwrap();
        let set = MigrationSet::core(&TWO_STATEMENTS);
        let err = run(&mut conn, &set).unwrap_err();
        assert_eq!(err.findings()[0].id, "migration.E055");
        assert!(err.to_string().contains("up.sql holds 2 statements"), "{err}");
        assert!(!history::table_exists(&mut conn, "a").unwrap(), "nothing ran");
    }

    #[test]
    fn a_failed_migration_outside_a_transaction_stays_marked_until_resolved() {
        let mut conn = crate::db::connect(":memory:").unwrap();
        let set = MigrationSet::core(&FAILING);
        let err = run(&mut conn, &set).unwrap_err();
        assert_eq!(err.findings()[0].id, "migration.E040");
        let status = &status(&mut conn, std::slice::from_ref(&set)).unwrap()[0];
        assert_eq!(status.applied.len(), 1);
        assert_eq!(status.unfinished.len(), 1);
        assert!(
            status.unfinished[0].error.contains("no such table"),
            "{:?}",
            status.unfinished
        );
        // Not re-run blindly: refused until someone says what happened.
        let err = run(&mut conn, &set).unwrap_err();
        assert_eq!(err.findings()[0].id, "migration.E054");
        let err = resolve(&mut conn, &set, &FAILING[0], Resolution::Applied).unwrap_err();
        assert_eq!(err.findings()[0].id, "migration.E056");
        resolve(&mut conn, &set, &FAILING[1], Resolution::RolledBack).unwrap();
        assert!(status_of(&mut conn, &set).unfinished.is_empty());
        // It runs again (and fails again, the same way).
        assert_eq!(
            run(&mut conn, &set).unwrap_err().findings()[0].id,
            "migration.E040"
        );
        resolve(&mut conn, &set, &FAILING[1], Resolution::Applied).unwrap();
        let status = status_of(&mut conn, &set);
        assert_eq!(status.applied.len(), 2);
        assert!(status.pending.is_empty() && status.unfinished.is_empty());
    }

    fn status_of(conn: &mut DbConnection, set: &MigrationSet) -> SetStatus {
        status(conn, std::slice::from_ref(set)).unwrap().remove(0)
    }
}
