//! The project as `project!()` baked it into the binary.

use crate::migrate::Migration;
use crate::registry::AppEntry;

/// Everything fastapp needs to know about a project at run time, baked in
/// at compile time by [`project!()`](crate::project): a built binary needs no
/// source tree.
///
/// ```
/// static PROJECT: fastapp_core::Project = fastapp_core::Project {
///     crate_name: "demo", version: "0.1.0",
///     config_file: "fastapp.toml",
///     config: "apps = []",
///     source_root: ".",
///    
///     migrations: &[],
///     external_apps: &[],
///     diesel_except_tables: &[],
/// };
/// assert_eq!(PROJECT.crate_name, "demo");
/// ```
#[derive(Debug)]
pub struct Project {
    /// `CARGO_CRATE_NAME` of the crate that called `project!()`; internal
    /// apps of that crate record the same name.
    pub crate_name: &'static str,
    /// `CARGO_PKG_VERSION` of that crate (the OpenAPI document's version).
    pub version: &'static str,
    /// `fastapp.toml`'s path relative to the project, for messages.
    pub config_file: &'static str,
    /// The text of `fastapp.toml`.
    pub config: &'static str,
    /// Absolute path of the project's source directory at build time
    /// (used by developer commands; not needed to serve).
    pub source_root: &'static str,
    /// Core's shared migrations (core and internal apps).
    pub migrations: &'static [Migration],
    /// The registry entries of the external apps listed in `fastapp.toml`.
    pub external_apps: &'static [&'static AppEntry],
    /// `[print_schema] filter.except_tables` of the project's `diesel.toml`,
    /// checked against the external apps' tables by `check`.
    pub diesel_except_tables: &'static [&'static str],
}
