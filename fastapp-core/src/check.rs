//! `check`: every rule fastapp knows, run without serving — config, settings,
//! app resolution, the app graph, model ownership, registration, route
//! collisions, and the diesel.toml filter that keeps external apps' tables
//! out of the shared schema. See the README for the rule ids.

use std::sync::Arc;

use serde::Serialize;

use crate::config::Config;
use crate::registry::AppKind;
use crate::{db, loader, migrate, Finding, Project, Settings};

/// What `check` found. `--json` prints exactly this.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// No errors (warnings allowed).
    pub valid: bool,
    /// Broken rules.
    pub errors: Vec<Finding>,
    /// Things that work but probably should not be so.
    pub warnings: Vec<Finding>,
}

/// Runs every rule against `project`, with `settings` from the environment
/// (the database is not touched).
///
/// ```
/// static PROJECT: fastapp_core::Project = fastapp_core::Project {
///     package: "demo", crate_name: "demo", config_file: "fastapp.toml",
///     config: "apps = [\"apps.nope\"]", source_root: ".", migrations_dir: "migrations",
///     migrations: &[], external_apps: &[], diesel_except_tables: &[],
/// };
/// let report = fastapp_core::check::run(&PROJECT, &fastapp_core::Settings::default());
/// assert!(!report.valid);
/// assert_eq!(report.errors[0].id, "app.E010");
/// ```
pub fn run(project: &Project, settings: &Settings) -> Report {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let done = |errors: Vec<Finding>, warnings: Vec<Finding>| Report {
        valid: errors.is_empty(),
        errors,
        warnings,
    };
    let config = match Config::parse(project.config_file, project.config) {
        Ok(config) => config,
        Err(err) => return done(err.findings(), warnings),
    };
    let resolved = match loader::resolve(project, &config) {
        Ok(resolved) => resolved,
        Err(err) => return done(err.findings(), warnings),
    };
    warnings.extend(resolved.warnings.iter().cloned());

    // Registration and routes, with a pool that connects only on demand.
    let pool = db::pool_lazy(&settings.database_url);
    if let Err(err) = loader::mount(&resolved.apps, Arc::new(settings.clone()), pool) {
        errors.extend(err.findings());
    }

    // External apps' tables must be filtered out of the shared schema.rs.
    for app in resolved.apps.iter().filter(|a| a.entry.kind == AppKind::External) {
        for m in app.entry.migrations {
            for (action, table) in migrate::guard::tables_touched(m.up) {
                if action == migrate::guard::Action::Create
                    && !project.diesel_except_tables.contains(&table.as_str())
                {
                    errors.push(
                        Finding::new(
                            "schema.E022",
                            format!(
                                "table `{table}` of external app `{}` is not filtered out of the shared schema, so `diesel migration run` would write it into the shared schema.rs",
                                app.entry.name
                            ),
                            format!(
                                "add \"{table}\" to `[print_schema] filter = {{ except_tables = [...] }}` in the project's diesel.toml"
                            ),
                        )
                        .app(app.entry.name)
                        .location(format!("diesel.toml, migration {}", m.name)),
                    );
                }
            }
        }
    }

    // Migration sets must be buildable (valid names) — the runner checks the rest.
    if let Err(err) = loader::migration_sets(project, &config, &resolved.apps) {
        errors.extend(err.findings());
    }
    done(errors, warnings)
}
