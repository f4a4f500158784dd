//! Start-up: resolve the apps `fastapp.toml` lists against the registry,
//! call their `register` functions in order, and mount their routers.

use crate::config::{AppRef, Config};
use crate::migrate::MigrationSet;
use crate::registry::{self, AppEntry, AppKind};
use crate::{AppContext, AppState, Error, Project, Router};

/// A listed app, resolved to its registry entry and mount prefix.
#[derive(Debug, Clone)]
pub struct ResolvedApp {
    /// The registry entry.
    pub entry: &'static AppEntry,
    /// The prefix it is mounted under (`""` = root).
    pub prefix: String,
}

/// Resolves `config.apps`, in order, against the registry.
///
/// ```
/// use fastapp_core::{config::Config, loader, Project};
/// static PROJECT: Project = Project {
///     package: "demo", crate_name: "demo", config_file: "fastapp.toml", config: "", source_root: ".",
///     migrations_dir: "migrations", migrations: &[], external_apps: &[],
/// };
/// let config = Config::parse("fastapp.toml", r#"apps = ["apps.missing"]"#).unwrap();
/// let err = loader::resolve(&PROJECT, &config).unwrap_err();
/// assert!(err.to_string().contains("apps.missing"));
/// ```
pub fn resolve(project: &Project, config: &Config) -> Result<Vec<ResolvedApp>, Error> {
    let mut resolved = Vec::new();
    for app in &config.apps {
        let entry = match app {
            AppRef::Internal(name) => registry::apps().iter().find(|e| {
                e.kind == AppKind::Internal && e.name == name && e.crate_name == project.crate_name
            }),
            AppRef::External(krate) => project
                .external_apps
                .iter()
                .copied()
                .find(|e| e.crate_name == krate),
        };
        let entry = entry.ok_or_else(|| Error::UnknownApp {
            app: app.to_string(),
            config: project.config_file.into(),
            linked: linked_names(),
        })?;
        let prefix = config
            .app
            .get(entry.name)
            .and_then(|c| c.prefix.clone())
            .unwrap_or_else(|| entry.prefix());
        resolved.push(ResolvedApp { entry, prefix });
    }
    Ok(resolved)
}

fn linked_names() -> String {
    let mut names: Vec<String> = registry::apps()
        .iter()
        .map(|e| match e.kind {
            AppKind::Internal => format!("apps.{}", e.name),
            AppKind::External => e.crate_name.to_string(),
        })
        .collect();
    names.sort();
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

/// Migration sets in run order: core first, then external apps in config order.
pub fn migration_sets(project: &Project, apps: &[ResolvedApp]) -> Result<Vec<MigrationSet>, Error> {
    let mut sets = vec![MigrationSet::core(project.migrations)];
    for app in apps.iter().filter(|a| a.entry.kind == AppKind::External) {
        sets.push(MigrationSet::external(app.entry.name, app.entry.migrations)?);
    }
    Ok(sets)
}

/// Calls every app's `register` in order and mounts what it returns.
pub fn mount(apps: &[ResolvedApp], state: &AppState) -> Result<axum::Router, Error> {
    let mut router = Router::new();
    for app in apps {
        let mut ctx = AppContext {
            app: app.entry.name,
            prefix: app.prefix.clone(),
            state: state.clone(),
            mounted: Router::new(),
        };
        let returned = (app.entry.register)(&mut ctx).map_err(|source| Error::Register {
            app: app.entry.name.into(),
            location: app.entry.location.to_string(),
            source,
        })?;
        router = router.merge(ctx.mounted);
        if let Some(app_router) = returned {
            router = if app.prefix.is_empty() {
                router.merge(app_router)
            } else {
                router.nest(&app.prefix, app_router)
            };
        }
        tracing::debug!(app = app.entry.name, prefix = %app.prefix, "mounted");
    }
    Ok(router.with_state(state.clone()))
}
