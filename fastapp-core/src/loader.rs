//! Start-up: resolve the apps `fastapp.toml` lists against the registry,
//! check the rules that need no database, call every `register` in order and
//! mount what it returns — detecting route collisions before axum sees them.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use axum::http::Extensions;

use crate::config::{AppRef, Config};
use crate::context::Hook;
use crate::db::DbPool;
use crate::graph::AppGraph;
use crate::migrate::MigrationSet;
use crate::registry::{self, AppEntry, AppKind};
use crate::routes::{self, Route};
use crate::{AppContext, AppState, Error, Finding, Project, Router, Settings};

/// A listed app, resolved to its registry entry and mount prefix.
#[derive(Debug, Clone)]
pub struct ResolvedApp {
    /// The registry entry.
    pub entry: &'static AppEntry,
    /// The prefix it is mounted under (`""` = root).
    pub prefix: String,
    /// Where it is listed in `fastapp.toml`.
    pub listed_at: String,
}

/// The apps, in order, and what deserves a warning.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The listed apps, in config order.
    pub apps: Vec<ResolvedApp>,
    /// Warnings (`app.W001` linked but not listed, …).
    pub warnings: Vec<Finding>,
}

/// Resolves `config.apps`, in order, against the registry and checks every
/// rule that needs neither the database nor the apps' routers. All errors are
/// returned together.
///
/// ```
/// use fastapp_core::{config::Config, loader, Project};
/// static PROJECT: Project = Project {
///     crate_name: "demo", config_file: "fastapp.toml", config: "", source_root: ".",
///     migrations: &[], external_apps: &[], diesel_except_tables: &[],
/// };
/// let config = Config::parse("fastapp.toml", r#"apps = ["apps.missing"]"#).unwrap();
/// let err = loader::resolve(&PROJECT, &config).unwrap_err();
/// assert_eq!(err.findings()[0].id, "app.E010");
/// ```
pub fn resolve(project: &Project, config: &Config) -> Result<Resolved, Error> {
    let (resolved, errors) = resolve_all(project, config);
    if errors.is_empty() {
        Ok(resolved)
    } else {
        Err(Error::many(errors.into_iter().map(Error::from).collect()))
    }
}

/// [`resolve`], returning what resolved and every error found (for `check`,
/// which reports warnings even when there are errors).
pub fn resolve_all(project: &Project, config: &Config) -> (Resolved, Vec<Finding>) {
    let mut errors: Vec<Finding> = Vec::new();
    let mut warnings = Vec::new();
    let mut apps: Vec<ResolvedApp> = Vec::new();
    let mut seen: BTreeMap<&AppRef, &str> = BTreeMap::new();

    for listed in &config.apps {
        if let Some(first) = seen.get(&listed.app).copied() {
            errors.push(
                Finding::new(
                    "app.E012",
                    format!(
                        "app `{}` is listed twice in {} (first at {first})",
                        listed.app, config.file
                    ),
                    "remove the second entry from `apps`",
                )
                .app(listed.app.to_string())
                .location(&listed.location),
            );
            continue;
        }
        seen.insert(&listed.app, &listed.location);
        if let AppRef::Internal(name) = &listed.app {
            if !crate::is_app_name(name) {
                errors.push(
                    Finding::new(
                        "app.E014",
                        format!("`apps.{name}` is not a valid internal app name"),
                        format!(
                            "app names are `[a-z][a-z0-9_]*` (the app's directory under src/apps/); write `apps.{}`",
                            name.to_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "_")
                        ),
                    )
                    .app(name)
                    .location(&listed.location),
                );
                continue;
            }
        }
        let entry = match &listed.app {
            AppRef::Internal(name) => registry::apps().iter().find(|e| {
                e.kind == AppKind::Internal && e.name == name && e.crate_name == project.crate_name
            }),
            AppRef::External(krate) => project
                .external_apps
                .iter()
                .copied()
                .find(|e| e.crate_name == krate),
        };
        let Some(entry) = entry else {
            let linked = linked_names(project);
            let fix = match &listed.app {
                AppRef::Internal(name) => format!(
                    "create src/apps/{name}/mod.rs with `#[fastapp_core::internal_app] pub fn register(..)`, declare \
                     `pub mod {name};` in src/apps/mod.rs, or remove it from `apps` (linked apps: {linked})"
                ),
                AppRef::External(krate) => format!(
                    "add `{krate}` to [dependencies] and make sure the crate has `#[fastapp_core::external_app]`, \
                     or remove it from `apps` (linked apps: {linked})"
                ),
            };
            errors.push(
                Finding::new(
                    "app.E010",
                    format!(
                        "app `{}` is listed in {} but is not linked into this binary",
                        listed.app, config.file
                    ),
                    fix,
                )
                .app(listed.app.to_string())
                .location(&listed.location),
            );
            continue;
        };
        let (prefix, prefix_at) = match config.prefix_of(entry.name) {
            Some((prefix, at)) => (prefix.to_string(), at.to_string()),
            None => (entry.prefix(), entry.location.to_string()),
        };
        if !(prefix.is_empty() || (prefix.starts_with('/') && !prefix.ends_with('/'))) {
            errors.push(
                Finding::new(
                    "app.E015",
                    format!("app `{}` has an invalid prefix `{prefix}`", entry.name),
                    format!(
                        "a prefix starts with `/` and has no trailing `/`, or is \"\" for the root: write `prefix = \"/{}\"`",
                        prefix.trim_matches('/')
                    ),
                )
                .app(entry.name)
                .location(prefix_at),
            );
            continue;
        }
        if let Some(other) = apps.iter().find(|a| a.entry.name == entry.name) {
            errors.push(
                Finding::new(
                    "app.E013",
                    format!(
                        "two apps are named `{}`: {} (listed at {}) and {} (listed at {})",
                        entry.name, other.entry.location, other.listed_at, entry.location, listed.location
                    ),
                    "rename one of them (an external app's name is `name` in [package.metadata.fastapp] of its Cargo.toml)",
                )
                .app(entry.name)
                .location(&listed.location),
            );
            continue;
        }
        apps.push(ResolvedApp {
            entry,
            prefix,
            listed_at: listed.location.clone(),
        });
    }

    // `[app.<name>]` for an app that is not listed.
    for (name, at) in config.configured_apps() {
        if !apps.iter().any(|a| a.entry.name == name)
            && !errors.iter().any(|e| e.app.as_deref() == Some(name))
        {
            errors.push(
                Finding::new(
                    "config.E002",
                    format!("[app.{name}] configures an app that is not in `apps`"),
                    "add the app to `apps`, or fix the table name (it is the app's name, not its crate)",
                )
                .app(name)
                .location(at),
            );
        }
    }

    // `[migration] order`: known names, each once, all of them.
    if let Some((order, at)) = &config.migration_order {
        let known: BTreeSet<&str> = std::iter::once("core")
            .chain(
                apps.iter()
                    .filter(|a| a.entry.kind == AppKind::External)
                    .map(|a| a.entry.name),
            )
            .collect();
        let given: BTreeSet<&str> = order.iter().map(String::as_str).collect();
        if given != known || given.len() != order.len() {
            errors.push(
                Finding::new(
                    "config.E003",
                    format!(
                        "[migration] order must name `core` and every external app exactly once (got {order:?}, expected {:?} in any order)",
                        known
                    ),
                    "list each migration owner once: `core` (core and internal apps) and every external app's name",
                )
                .location(at),
            );
        }
    }

    // Internal apps that are linked but not listed are not mounted.
    for entry in registry::apps() {
        if entry.kind == AppKind::Internal
            && entry.crate_name == project.crate_name
            && !apps.iter().any(|a| std::ptr::eq(a.entry, entry))
            && !config
                .apps
                .iter()
                .any(|l| l.app == AppRef::Internal(entry.name.to_string()))
        {
            warnings.push(
                Finding::new(
                    "app.W001",
                    format!(
                        "internal app `{}` is linked but not listed in {}, so it is not mounted",
                        entry.name, config.file
                    ),
                    format!("add \"apps.{}\" to `apps` to mount it", entry.name),
                )
                .app(entry.name)
                .location(entry.location.to_string()),
            );
        }
    }

    // Dependencies on internal apps that are not listed, and cycles.
    for app in &apps {
        for dep in app.entry.depends_on {
            if !apps.iter().any(|a| a.entry.name == *dep) {
                warnings.push(
                    Finding::new(
                        "app.W002",
                        format!(
                            "app `{}` uses internal app `{dep}`, which is not listed",
                            app.entry.name
                        ),
                        format!("add \"apps.{dep}\" to `apps` before \"apps.{}\"", app.entry.name),
                    )
                    .app(app.entry.name)
                    .location(app.entry.location.to_string()),
                );
            }
        }
    }
    for cycle in AppGraph::of(&apps).cycles() {
        let first = apps.iter().find(|a| a.entry.name == cycle[0]);
        errors.push(
            Finding::new(
                "graph.E018",
                format!(
                    "internal apps depend on each other in a cycle: {}",
                    cycle.join(" → ")
                ),
                "move what the apps share into core (or into one of them) so that the references go one way",
            )
            .app(cycle[0].clone())
            .location(first.map_or_else(String::new, |a| a.entry.location.to_string())),
        );
    }

    // Two apps claiming one table.
    errors.extend(model_ownership(project, &apps));

    warnings.sort_by(|a, b| (a.id, &a.app).cmp(&(b.id, &b.app)));
    (Resolved { apps, warnings }, errors)
}

/// `model.E019`: a table mapped by `#[model]`s of two different apps (of
/// core and the listed apps; models of crates that are not part of this
/// configuration are ignored).
fn model_ownership(project: &Project, apps: &[ResolvedApp]) -> Vec<Finding> {
    // (schema scope, owning app) of a model: external apps' tables live in
    // their own schema module, everything else in the shared one.
    let owner_of = |model: &registry::ModelEntry| -> Option<(&str, String)> {
        if let Some(app) = apps
            .iter()
            .find(|a| a.entry.kind == AppKind::External && a.entry.crate_name == model.crate_name)
        {
            return Some((app.entry.crate_name, app.entry.name.to_string()));
        }
        if model.crate_name != project.crate_name {
            return None;
        }
        let owner = model.internal_app().unwrap_or("core");
        (owner == "core" || apps.iter().any(|a| a.entry.name == owner)).then(|| ("shared", owner.to_string()))
    };
    let mut by_table: BTreeMap<(&str, &str), Vec<(String, &registry::ModelEntry)>> = BTreeMap::new();
    for model in registry::models() {
        if let Some((scope, owner)) = owner_of(model) {
            by_table
                .entry((scope, model.table))
                .or_default()
                .push((owner, model));
        }
    }
    let mut out = Vec::new();
    for ((_, table), models) in by_table {
        let owners: BTreeSet<&str> = models.iter().map(|(o, _)| o.as_str()).collect();
        if owners.len() > 1 {
            let list = models
                .iter()
                .map(|(o, m)| format!("`{}` ({}::{})", o, m.module_path, m.type_name))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(
                Finding::new(
                    "model.E019",
                    format!("table `{table}` is claimed by models of several apps: {list}"),
                    "a table belongs to one app: keep its #[model]s in that app and let the others call its functions",
                )
                .app(models[0].0.clone())
                .location(format!("table {table}")),
            );
        }
    }
    out
}

fn linked_names(project: &Project) -> String {
    let mut names: Vec<String> = registry::apps()
        .iter()
        .filter(|e| e.kind == AppKind::External || e.crate_name == project.crate_name)
        .map(|e| match e.kind {
            AppKind::Internal => format!("apps.{}", e.name),
            AppKind::External => e.crate_name.to_string(),
        })
        .collect();
    names.sort();
    names.dedup();
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

/// The `selected` apps and, transitively, the internal apps they use, in
/// config order: what a partial boot (the test kit's `apps([...])`) mounts
/// and migrates. A name that is not a listed app is `app.E025`.
///
/// ```
/// use fastapp_core::{config::Config, loader, Project};
/// static PROJECT: Project = Project {
///     crate_name: "demo", config_file: "fastapp.toml", config: "", source_root: ".",
///     migrations: &[], external_apps: &[], diesel_except_tables: &[],
/// };
/// let resolved = loader::resolve(&PROJECT, &Config::parse("fastapp.toml", "apps = []").unwrap()).unwrap();
/// let err = loader::with_dependencies(&resolved.apps, &["shop"]).unwrap_err();
/// assert_eq!(err.findings()[0].id, "app.E025");
/// ```
pub fn with_dependencies(apps: &[ResolvedApp], selected: &[&str]) -> Result<Vec<ResolvedApp>, Error> {
    let mut wanted: BTreeSet<&str> = BTreeSet::new();
    let mut todo: Vec<&str> = Vec::new();
    for name in selected {
        let Some(app) = apps.iter().find(|a| a.entry.name == *name) else {
            return Err(Finding::new(
                "app.E025",
                format!("`{name}` is not an app of this project"),
                format!(
                    "name an app listed in fastapp.toml: {}",
                    apps.iter().map(|a| a.entry.name).collect::<Vec<_>>().join(", ")
                ),
            )
            .app(*name)
            .into());
        };
        todo.push(app.entry.name);
    }
    while let Some(name) = todo.pop() {
        if wanted.insert(name) {
            if let Some(app) = apps.iter().find(|a| a.entry.name == name) {
                todo.extend(app.entry.depends_on.iter().copied());
            }
        }
    }
    Ok(apps
        .iter()
        .filter(|a| wanted.contains(a.entry.name))
        .cloned()
        .collect())
}

/// Migration sets in run order: `[migration] order` when given, else core
/// first and external apps in config order.
pub fn migration_sets(
    project: &Project,
    config: &Config,
    apps: &[ResolvedApp],
) -> Result<Vec<MigrationSet>, Error> {
    let core = MigrationSet::core(project.migrations);
    let mut external = apps
        .iter()
        .filter(|a| a.entry.kind == AppKind::External)
        .map(|a| MigrationSet::external(a.entry.name, a.entry.migrations))
        .collect::<Result<Vec<_>, _>>()?;
    let Some((order, _)) = &config.migration_order else {
        let mut sets = vec![core];
        sets.append(&mut external);
        return Ok(sets);
    };
    let mut all: Vec<MigrationSet> = std::iter::once(core).chain(external).collect();
    let mut sets = Vec::new();
    for name in order {
        if let Some(i) = all.iter().position(|s| s.app() == name) {
            sets.push(all.remove(i));
        }
    }
    sets.extend(all);
    Ok(sets)
}

/// [`migration_sets`] for a partial boot: only the external apps among
/// `selected`, and of core's shared migrations those of core itself and of
/// the selected internal apps (by [`Migration::internal_app`](crate::migrate::Migration::internal_app),
/// among every internal app in `all`).
pub fn migration_sets_of(
    project: &Project,
    config: &Config,
    all: &[ResolvedApp],
    selected: &[ResolvedApp],
) -> Result<Vec<MigrationSet>, Error> {
    let internal: Vec<&str> = all
        .iter()
        .filter(|a| a.entry.kind == AppKind::Internal)
        .map(|a| a.entry.name)
        .collect();
    let keep = |app: &str| selected.iter().any(|a| a.entry.name == app);
    Ok(migration_sets(project, config, selected)?
        .into_iter()
        .map(|set| {
            if set.app() == "core" {
                set.retain(|m| m.internal_app(&internal).is_none_or(keep))
            } else {
                set
            }
        })
        .collect())
}

/// The result of mounting every app.
pub struct Mounted {
    /// The project's router, with state.
    pub router: axum::Router,
    /// Every route with the app that owns it, in mount order.
    pub routes: Vec<(String, Route)>,
    /// The state handlers see.
    pub state: AppState,
    // Behind a mutex only so that `Mounted` (and the test kit's `TestApp`)
    // is `Sync`; hooks are reached through `&mut self`, never locked.
    startup: std::sync::Mutex<Vec<Hook>>,
    shutdown: std::sync::Mutex<Vec<Hook>>,
}

impl Mounted {
    /// Runs the apps' start-up hooks in app order; the first failure is
    /// `app.E023` (`serve` and the test kit call this after migrating).
    pub async fn start(&mut self) -> Result<(), Error> {
        let startup = std::mem::take(self.startup.get_mut().unwrap_or_else(|p| p.into_inner()));
        for hook in startup {
            (hook.run)(self.state.clone()).await.map_err(|err| {
                Error::from(
                    Finding::new(
                        "app.E023",
                        format!("start-up hook of app `{}` failed: {err}", hook.app),
                        "fix the hook registered with ctx.on_startup in the app's register function",
                    )
                    .app(hook.app),
                )
            })?;
        }
        Ok(())
    }

    /// Runs the apps' shutdown hooks in reverse app order; failures are
    /// logged, and every hook runs.
    pub async fn stop(&mut self) {
        let shutdown = std::mem::take(self.shutdown.get_mut().unwrap_or_else(|p| p.into_inner()));
        for hook in shutdown.into_iter().rev() {
            if let Err(err) = (hook.run)(self.state.clone()).await {
                tracing::error!(app = hook.app, %err, "shutdown hook failed");
            }
        }
    }
}

impl std::fmt::Debug for Mounted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mounted")
            .field("routes", &self.routes)
            .finish_non_exhaustive()
    }
}

/// Calls every app's `register` in order and mounts what it returns. A
/// `register` that fails or panics is `app.E011`; two apps with the same
/// method and path pattern are `route.E016`, the same pattern with different
/// parameter names `route.E017` — all found before axum would panic.
pub fn mount(apps: &[ResolvedApp], settings: Arc<Settings>, pool: DbPool) -> Result<Mounted, Error> {
    let mut router = Router::new();
    let mut extensions = Extensions::new();
    let mut all_routes: Vec<(String, Route)> = Vec::new();
    let mut errors = Vec::new();
    let mut startup = Vec::new();
    let mut shutdown = Vec::new();
    for app in apps {
        let name = app.entry.name;
        let mut ctx = AppContext {
            app: name,
            prefix: app.prefix.clone(),
            settings: settings.clone(),
            pool: pool.clone(),
            extensions: std::mem::take(&mut extensions),
            mounted: Router::new(),
            startup: Vec::new(),
            shutdown: Vec::new(),
        };
        let register_failed = |message: String| {
            Finding::new(
                "app.E011",
                format!("app `{name}` failed to register: {message}"),
                format!("fix the app's register function at {}", app.entry.location),
            )
            .app(name)
            .location(app.entry.location.to_string())
        };
        let returned = match quietly(|| (app.entry.register)(&mut ctx)) {
            Ok(Ok(returned)) => returned,
            Ok(Err(err)) => {
                extensions = ctx.extensions;
                errors.push(register_failed(err.to_string()));
                continue;
            }
            Err(panic) => {
                extensions = ctx.extensions;
                errors.push(register_failed(format!(
                    "it panicked: {}",
                    panic_message(&*panic)
                )));
                continue;
            }
        };
        extensions = ctx.extensions;
        startup.append(&mut ctx.startup);
        shutdown.append(&mut ctx.shutdown);
        let mut app_router = ctx.mounted;
        if let Some(returned) = returned {
            let placed = quietly(|| {
                if app.prefix.is_empty() {
                    app_router.merge(returned)
                } else {
                    app_router.nest(&app.prefix, returned)
                }
            });
            app_router = match placed {
                Ok(r) => r,
                Err(panic) => {
                    errors.push(register_failed(format!(
                        "its router cannot be mounted at `{}`: {}",
                        app.prefix,
                        panic_message(&*panic)
                    )));
                    continue;
                }
            };
        }
        let app_routes = routes::inventory(&app_router).map_err(|message| {
            Error::from(Finding::new(
                "route.E099",
                message,
                "this axum version is not supported by fastapp's route inventory; pin axum to the version in fastapp's Cargo.lock",
            ))
        })?;
        let mut clash = false;
        for route in &app_routes {
            for (owner, existing) in &all_routes {
                let same_method =
                    existing.method == route.method || existing.method == "ANY" || route.method == "ANY";
                let finding = if same_method && existing.pattern() == route.pattern() {
                    Finding::new(
                        "route.E016",
                        format!("route `{route}` of app `{name}` collides with route `{existing}` of app `{owner}`"),
                        format!(
                            "give one of the apps another prefix in fastapp.toml (e.g. [app.{name}] prefix = \"/{name}\"), or change one of the routes"
                        ),
                    )
                } else if routes::param_names_conflict(&existing.path, &route.path) {
                    Finding::new(
                        "route.E017",
                        format!(
                            "route `{route}` of app `{name}` and route `{existing}` of app `{owner}` name the same path parameter differently"
                        ),
                        "use the same parameter names for the same path, or give one app another prefix",
                    )
                } else {
                    continue;
                };
                errors.push(
                    finding
                        .app(name)
                        .location(format!("{route} ({name}) / {existing} ({owner})")),
                );
                clash = true;
            }
        }
        if clash {
            continue;
        }
        match quietly(|| router.clone().merge(app_router)) {
            Ok(merged) => router = merged,
            Err(panic) => {
                errors.push(
                    Finding::new(
                        "route.E016",
                        format!(
                            "the routes of app `{name}` clash with earlier apps: {}",
                            panic_message(&*panic)
                        ),
                        "give the app another prefix in fastapp.toml, or change the clashing route",
                    )
                    .app(name),
                );
                continue;
            }
        }
        all_routes.extend(app_routes.into_iter().map(|r| (name.to_string(), r)));
        tracing::debug!(app = name, prefix = %app.prefix, "mounted");
    }
    if !errors.is_empty() {
        return Err(Error::many(errors.into_iter().map(Error::from).collect()));
    }
    let state = AppState::new(settings, pool, extensions);
    Ok(Mounted {
        router: router.with_state(state.clone()),
        routes: all_routes,
        state,
        startup: startup.into(),
        shutdown: shutdown.into(),
    })
}

/// `catch_unwind` without the default hook's "thread panicked" text on
/// stderr: the panic is reported as a finding instead (also under
/// `check --json`).
fn quietly<R>(work: impl FnOnce() -> R) -> std::thread::Result<R> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(AssertUnwindSafe(work));
    std::panic::set_hook(previous);
    result
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "a panic".into())
}
