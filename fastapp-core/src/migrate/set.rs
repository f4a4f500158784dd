//! The model of migrations: one [`Migration`] (embedded SQL and how it
//! runs) and a [`MigrationSet`], one app's migrations with its version table.

use sha2::{Digest, Sha256};

use crate::{Error, Finding};

use super::{guard, history};

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
    pub(super) app: String,
    pub(super) table: String,
    pub(super) external: bool,
    pub(super) migrations: Vec<&'static Migration>,
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
    pub(super) fn pending(&self, applied: &[history::AppliedRow]) -> Vec<&'static Migration> {
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

pub(super) fn sorted(migrations: &'static [Migration]) -> Vec<&'static Migration> {
    let mut list: Vec<&'static Migration> = migrations.iter().collect();
    list.sort_by_key(|m| m.version);
    list
}

pub(super) fn normalize_version(target: &str) -> String {
    target.split('_').next().unwrap_or(target).replace('-', "")
}

/// `db.E030`: `set`'s version table cannot be read.
pub(super) fn db_error(set: &MigrationSet, err: diesel::result::Error) -> Error {
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
