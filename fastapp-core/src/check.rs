//! `check`: every rule fastapp knows, run without serving — config, settings,
//! app resolution, the app graph, model ownership, registration, route
//! collisions, and the diesel.toml filter that keeps external apps' tables
//! out of the shared schema. See the README for the rule ids.

use std::sync::Arc;

use serde::Serialize;

use crate::config::Config;
use crate::registry::AppKind;
use crate::{db, loader, migrate, Finding, Project, Settings};

/// What `check` found. `--json` prints this, with `"failed"` added (what
/// the exit status says, at `--fail-level`).
///
/// ```
/// let report = fastapp_core::check::Report::failed(vec![
///     fastapp_core::Finding::new("config.E034", "`apps` is missing", "add `apps = []`"),
/// ]);
/// let json = serde_json::to_value(&report).unwrap();
/// assert_eq!(json["valid"], false);
/// assert_eq!(json["errors"][0]["id"], "config.E034");
/// assert_eq!(json["warnings"], serde_json::json!([]));
/// ```
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// No errors (warnings allowed).
    pub valid: bool,
    /// Broken rules.
    pub errors: Vec<Finding>,
    /// Things that work but probably should not be so.
    pub warnings: Vec<Finding>,
    /// Warnings `[check] silence` in `fastapp.toml` kept out of `warnings`.
    pub silenced: Vec<Finding>,
}

impl Report {
    /// A report of errors found before the rules could run (valid when
    /// there are none).
    ///
    /// ```
    /// use fastapp_core::check::Report;
    /// assert!(Report::failed(Vec::new()).valid);
    /// assert!(!Report::failed(vec![fastapp_core::Finding::new("config.E034", "bad", "mend")]).valid);
    /// ```
    pub fn failed(errors: Vec<Finding>) -> Report {
        Report {
            valid: errors.is_empty(),
            errors,
            warnings: Vec::new(),
            silenced: Vec::new(),
        }
    }

    /// Whether the report fails at `level`: on any error, or with
    /// [`FailLevel::Warning`] also on any (unsilenced) warning.
    ///
    /// ```
    /// use fastapp_core::check::{FailLevel, Report};
    /// let mut report = Report::failed(Vec::new());
    /// report.warnings.push(fastapp_core::Finding::new("app.W001", "unlisted", "list it"));
    /// assert!(!report.fails_at(FailLevel::Error));
    /// assert!(report.fails_at(FailLevel::Warning));
    /// ```
    pub fn fails_at(&self, level: FailLevel) -> bool {
        !self.errors.is_empty() || (level == FailLevel::Warning && !self.warnings.is_empty())
    }
}

/// The lowest level of finding that makes `check` exit 1 (`--fail-level`;
/// see [`Report::fails_at`]).
///
/// ```
/// assert_eq!(fastapp_core::check::FailLevel::default(), fastapp_core::check::FailLevel::Error);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FailLevel {
    /// Warnings fail too (adopt a rule before it becomes an error).
    Warning,
    /// Only errors fail (the default).
    #[default]
    Error,
}

/// Moves the warnings `config` silences from `warnings` to the returned
/// list, and warns (`check.W003`) about each silence that matched nothing.
///
/// ```
/// let config = fastapp_core::config::Config::parse(
///     "fastapp.toml",
///     "apps = []\n[check]\nsilence = [\"app.W001\", \"app.W002\"]\n",
/// ).unwrap();
/// let mut warnings = vec![fastapp_core::Finding::new("app.W001", "unlisted", "list it")];
/// let silenced = fastapp_core::check::silence(&config, &mut warnings);
/// assert_eq!(silenced[0].id, "app.W001");
/// assert_eq!(warnings[0].id, "check.W003");
/// assert_eq!(warnings[0].location.as_deref(), Some("fastapp.toml:3:24"));
/// ```
pub fn silence(config: &Config, warnings: &mut Vec<Finding>) -> Vec<Finding> {
    let (silenced, kept): (Vec<Finding>, Vec<Finding>) = std::mem::take(warnings)
        .into_iter()
        .partition(|w| config.silence.iter().any(|(id, _)| id == w.id));
    *warnings = kept;
    let mut silenced = silenced;
    for (id, location) in &config.silence {
        if id != "check.W003" && !silenced.iter().any(|w| w.id == id) {
            warnings.push(
                Finding::new(
                    "check.W003",
                    format!("`[check] silence` names `{id}`, but nothing reports `{id}` any more"),
                    format!("remove \"{id}\" from `silence` in {}", config.file),
                )
                .location(location.clone()),
            );
        }
    }
    // Silencing check.W003 keeps stale entries quiet too.
    if config.silence.iter().any(|(id, _)| id == "check.W003") {
        let (stale, kept): (Vec<Finding>, Vec<Finding>) = std::mem::take(warnings)
            .into_iter()
            .partition(|w| w.id == "check.W003");
        *warnings = kept;
        silenced.extend(stale);
    }
    silenced
}

/// Runs every rule against `project` configured by `config`, with
/// `settings` (the database is not touched).
///
/// ```
/// static PROJECT: fastapp_core::Project = fastapp_core::Project {
///     crate_name: "demo", version: "0.1.0", config_file: "fastapp.toml",
///     config: "apps = [\"apps.nope\"]", source_root: ".",
///     migrations: &[], external_apps: &[], diesel_except_tables: &[],
/// };
/// let config = fastapp_core::config::Config::parse(PROJECT.config_file, PROJECT.config).unwrap();
/// let report = fastapp_core::check::run(&PROJECT, &config, &fastapp_core::Settings::default());
/// assert!(!report.valid);
/// assert_eq!(report.errors[0].id, "app.E010");
/// ```
pub fn run(project: &Project, config: &Config, settings: &Settings) -> Report {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let (resolved, resolve_errors) = loader::resolve_all(project, config);
    warnings.extend(resolved.warnings.iter().cloned());
    errors.extend(resolve_errors);

    // Registration and routes, with a pool that connects only on demand.
    let pool = db::pool(&settings.database_url);
    match loader::mount(project, &resolved.apps, Arc::new(settings.clone()), pool) {
        Ok(mounted) => {
            errors.extend(mounted.unread_routes().iter().cloned());
            // Not dropped: `check` ends the process right after, and
            // freeing every route one by one took it a fifth of its time
            // at 200 apps (`bench/RESULTS.md`).
            std::mem::forget(mounted);
        }
        Err(err) => errors.extend(err.findings()),
    }

    // External apps' tables must be filtered out of the shared schema.rs.
    for app in resolved.apps.iter().filter(|a| a.entry.kind == AppKind::External) {
        for m in app.entry.migrations {
            for (action, table) in migrate::guard::tables_touched_leniently(m.up) {
                if action == migrate::guard::Action::Create && !filtered(project.diesel_except_tables, &table)
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

    // Migration sets must be buildable (valid names) — the runner checks the
    // rest; and what they make must have what the models read.
    match loader::migration_sets(project, config, &resolved.apps) {
        Ok(sets) => errors.extend(drift(project, &resolved.apps, &sets)),
        Err(err) => errors.extend(err.findings()),
    }
    let silenced = silence(config, &mut warnings);
    warnings.sort_by(|a, b| (a.id, &a.app).cmp(&(b.id, &b.app)));
    Report {
        valid: errors.is_empty(),
        errors,
        warnings,
        silenced,
    }
}

/// `check --database`: opens the configured database, reading only, and
/// checks what is applied against the binary's migrations: `db.E030` when
/// it cannot be opened, `migration.E041` (an applied migration is gone),
/// `migration.E042` (edited since it ran), and the guard's `migration.E043`
/// / `E051` on external apps' pending migrations. A SQLite file that does
/// not exist yet has nothing applied (and is not created); its directory
/// must exist and be writable, as `migrate` needs (`db.E030`).
///
/// ```
/// use diesel::connection::SimpleConnection;
/// use fastapp_core::{check, config::Config, db, Project, Settings};
/// static PROJECT: Project = Project {
///     crate_name: "demo", version: "0.1.0", config_file: "fastapp.toml", config: "apps = []", source_root: ".",
///     migrations: &[], external_apps: &[], diesel_except_tables: &[],
/// };
/// let config = Config::parse(PROJECT.config_file, PROJECT.config).unwrap();
/// let dir = tempfile::tempdir().unwrap();
/// let url = dir.path().join("app.db").display().to_string();
/// let settings = Settings { database_url: url.clone(), ..Settings::default() };
/// assert!(check::database(&PROJECT, &config, &settings).is_empty());
/// assert!(!std::path::Path::new(&url).exists(), "not created");
///
/// // A file in a directory that does not exist: `migrate` could not create it.
/// let lost = Settings { database_url: dir.path().join("no/such/dir/app.db").display().to_string(), ..Settings::default() };
/// assert_eq!(check::database(&PROJECT, &config, &lost)[0].id, "db.E030");
///
/// // A version applied that this binary does not have: migration.E041.
/// db::connect(&url).unwrap().batch_execute(
///     "CREATE TABLE __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY NOT NULL, \
///      run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP); \
///      INSERT INTO __diesel_schema_migrations (version) VALUES ('20240101000001');",
/// ).unwrap();
/// assert_eq!(check::database(&PROJECT, &config, &settings)[0].id, "migration.E041");
/// ```
pub fn database(project: &Project, config: &Config, settings: &Settings) -> Vec<Finding> {
    let (resolved, _) = loader::resolve_all(project, config);
    let sets = match loader::migration_sets(project, config, &resolved.apps) {
        Ok(sets) => sets,
        Err(err) => return err.findings(),
    };
    let url = &settings.database_url;
    if db::missing_sqlite_file(url) {
        return db::uncreatable_sqlite_file(url).map_or_else(Vec::new, |err| err.findings());
    }
    let mut conn = match db::connect(url) {
        Ok(conn) => conn,
        Err(err) => return err.findings(),
    };
    if let Err(errors) = migrate::verify(&mut conn, &sets, &sets) {
        return errors.into_iter().flat_map(|e| e.findings()).collect();
    }
    cannot_create(&mut conn, url, &sets).into_iter().collect()
}

/// `db.E030` when migrations are pending on PostgreSQL and the role may not
/// create tables in its schema: `migrate` would fail on the first one.
fn cannot_create(conn: &mut db::DbConnection, url: &str, sets: &[migrate::MigrationSet]) -> Option<Finding> {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Create {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
        schema: Option<String>,
        #[diesel(sql_type = diesel::sql_types::Text)]
        role: String,
        #[diesel(sql_type = diesel::sql_types::Bool)]
        may: bool,
    }
    if conn.backend() != db::Backend::Postgres {
        return None;
    }
    let pending: usize = migrate::status(conn, sets)
        .ok()?
        .iter()
        .map(|set| set.pending.len())
        .sum();
    if pending == 0 {
        return None;
    }
    let create = diesel::sql_query(
        "SELECT current_schema() AS schema, current_user::text AS role, \
         COALESCE(has_schema_privilege(current_schema(), 'CREATE'), false) AS may",
    )
    .get_result::<Create>(conn)
    .ok()?;
    if create.may {
        return None;
    }
    let (what, fix) = match &create.schema {
        Some(schema) => (
            format!(
                "role `{}` may not create tables in schema `{schema}`",
                create.role
            ),
            format!(
                "as the schema's owner: GRANT CREATE ON SCHEMA {schema} TO {}; or migrate as a role that may",
                create.role
            ),
        ),
        None => (
            format!(
                "role `{}` has no schema to create tables in (none of its search_path exists)",
                create.role
            ),
            "create the schema, or set the role's search_path to one it may create tables in".to_string(),
        ),
    };
    Some(
        Finding::new(
            "db.E030",
            format!("{what}, and {pending} migration(s) are pending: `migrate` would fail"),
            fix,
        )
        .location(format!("database {}", crate::database_url::redact_url(url))),
    )
}

/// `migration.E053`: models that read what the binary's migrations do not
/// make, found on a private in-memory SQLite database (the configured one is
/// not opened). Migrations SQLite cannot run leave the check to `serve`,
/// which runs it on the served database after migrating.
fn drift(project: &Project, apps: &[loader::ResolvedApp], sets: &[migrate::MigrationSet]) -> Vec<Finding> {
    let models = loader::owned_models(project, apps);
    if models.is_empty() {
        return Vec::new();
    }
    let Ok(mut conn) = db::connect(":memory:") else {
        return Vec::new();
    };
    if migrate::migrate_scratch(&mut conn, sets).is_err() {
        return Vec::new();
    }
    migrate::drift::drift(&mut conn, &models).unwrap_or_default()
}

/// Whether diesel's `except_tables` (unanchored regular expressions, as the
/// diesel CLI reads them) filter `table` out.
fn filtered(except_tables: &[&str], table: &str) -> bool {
    except_tables
        .iter()
        .any(|pattern| match regex_lite::Regex::new(pattern) {
            Ok(regex) => regex.is_match(table),
            Err(_) => *pattern == table,
        })
}

#[cfg(test)]
mod tests {
    #[test]
    fn except_tables_are_regexes() {
        assert!(super::filtered(&["^subscri"], "subscribers"));
        assert!(super::filtered(&["widgets"], "widgets"));
        assert!(!super::filtered(&["^users$"], "subscribers"));
    }
}
