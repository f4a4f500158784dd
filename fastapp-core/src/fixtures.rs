//! Registry entries and projects written by hand, for the crate's own
//! tests: each test names only what differs (`..fixtures::APP`).

use crate::registry::{AppEntry, AppKind, Location};
use crate::Project;

/// An internal app `app` of crate `demo` that registers nothing.
pub(crate) const APP: AppEntry = AppEntry {
    name: "app",
    kind: AppKind::Internal,
    default_prefix: None,
    register: |_| Ok(None),
    depends_on: &[],
    migrations: &[],
    crate_name: "demo",
    location: Location {
        file: "src/apps/x/mod.rs",
        line: 1,
    },
};

/// An external app `news` (crate `news`) that registers nothing.
pub(crate) const NEWS: AppEntry = AppEntry {
    name: "news",
    kind: AppKind::External,
    crate_name: "news",
    location: Location {
        file: "news/src/lib.rs",
        line: 1,
    },
    ..APP
};

/// An internal app of crate `demo` named `name`, using `depends_on`.
pub(crate) fn internal(name: &'static str, depends_on: &'static [&'static str]) -> AppEntry {
    AppEntry {
        name,
        depends_on,
        ..APP
    }
}

/// A project `demo` with no apps and no migrations.
pub(crate) const PROJECT: Project = Project {
    crate_name: "demo",
    version: "0.1.0",
    config_file: "fastapp.toml",
    config: "",
    source_root: ".",
    migrations: &[],
    external_apps: &[],
    diesel_except_tables: &[],
};
