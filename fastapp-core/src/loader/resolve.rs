//! Which apps run, in what order, under which prefix — and every rule
//! about that which needs neither the database nor the apps' routers.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::config::{AppRef, Config, ListedApp};
use crate::graph::AppGraph;
use crate::registry::{self, AppEntry, AppKind};
use crate::{Error, Finding, Project};

use super::app::ResolvedApp;

/// The apps, in order, and what deserves a warning (see [`resolve`] and
/// [`resolve_all`]).
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
    let mut errors = Vec::new();
    let apps = listed_apps(project, config, &mut errors);
    errors.extend(unlisted_app_tables(config, &apps, &errors));
    errors.extend(migration_order(config, &apps));
    errors.extend(cycles(&apps));
    errors.extend(super::ownership::model_ownership(project, &apps));
    let (declared_errors, mut warnings) = super::uses::declared_dependencies(config, &apps);
    errors.extend(declared_errors);
    warnings.extend(unlisted_internal_apps(project, config, &apps));
    warnings.extend(unlisted_dependencies(&apps));
    warnings.sort_by(|a, b| (a.id, &a.app).cmp(&(b.id, &b.app)));
    (Resolved { apps, warnings }, errors)
}

/// `apps`, in order, resolved; `app.E012` for an app listed twice, and the
/// errors of [`resolve_one`] for the others.
fn listed_apps(project: &Project, config: &Config, errors: &mut Vec<Finding>) -> Vec<ResolvedApp> {
    let mut apps: Vec<ResolvedApp> = Vec::new();
    let mut seen: BTreeMap<&AppRef, &str> = BTreeMap::new();
    // Looked up once per listed app: maps, so that a project of a thousand
    // apps starts in time linear in its apps.
    let linked = LinkedApps::of(project);
    let mut names: HashMap<&'static str, usize> = HashMap::new();
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
        match resolve_one(&linked, config, listed, &apps, &names) {
            Ok(app) => {
                names.entry(app.entry.name).or_insert(apps.len());
                apps.push(app);
            }
            Err(finding) => errors.push(*finding),
        }
    }
    apps
}

/// One entry of `apps`: `app.E014` (invalid name), `app.E010` (not linked),
/// `app.E015` (invalid prefix), `app.E013` (a name taken by an earlier app).
fn resolve_one(
    linked: &LinkedApps<'_>,
    config: &Config,
    listed: &ListedApp,
    earlier: &[ResolvedApp],
    earlier_names: &HashMap<&'static str, usize>,
) -> Result<ResolvedApp, Box<Finding>> {
    let project = linked.project;
    if let AppRef::Internal(name) = &listed.app {
        if !crate::is_app_name(name) {
            return Err(Box::new(
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
            ));
        }
    }
    let entry = linked
        .entry(&listed.app)
        .ok_or_else(|| Box::new(not_linked(project, config, listed)))?;
    let (prefix, prefix_at) = match config.prefix_of(entry.name) {
        Some((prefix, at)) => (prefix.to_string(), at.to_string()),
        None => (entry.prefix(), entry.location.to_string()),
    };
    if !fastapp_config::is_prefix(&prefix) {
        return Err(Box::new(
            Finding::new(
                "app.E015",
                format!("app `{}` has an invalid prefix `{prefix}`", entry.name),
                format!(
                    "{}: write `prefix = \"{}\"`",
                    fastapp_config::PREFIX_RULE,
                    fastapp_config::suggest_prefix(&prefix)
                ),
            )
            .app(entry.name)
            .location(prefix_at),
        ));
    }
    if let Some(other) = earlier_names.get(entry.name).map(|&i| &earlier[i]) {
        return Err(Box::new(
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
        ));
    }
    Ok(ResolvedApp {
        entry,
        prefix,
        listed_at: listed.location.clone(),
        uses: config.uses_of(entry.name).map(|uses| uses.apps.clone()),
    })
}

/// The project's linked internal apps by name (the first of a name wins),
/// and its external apps.
struct LinkedApps<'a> {
    project: &'a Project,
    internal: HashMap<&'static str, &'static AppEntry>,
}

impl<'a> LinkedApps<'a> {
    fn of(project: &'a Project) -> LinkedApps<'a> {
        let mut internal = HashMap::new();
        for entry in registry::apps() {
            if entry.kind == AppKind::Internal && entry.crate_name == project.crate_name {
                internal.entry(entry.name).or_insert(entry);
            }
        }
        LinkedApps { project, internal }
    }

    /// The registry entry an `apps` entry names, if it is linked.
    fn entry(&self, app: &AppRef) -> Option<&'static AppEntry> {
        match app {
            AppRef::Internal(name) => self.internal.get(name.as_str()).copied(),
            AppRef::External(krate) => self
                .project
                .external_apps
                .iter()
                .copied()
                .find(|e| e.crate_name == krate),
        }
    }
}

/// `app.E010`: a listed app is not linked into the binary.
fn not_linked(project: &Project, config: &Config, listed: &ListedApp) -> Finding {
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
    Finding::new(
        "app.E010",
        format!(
            "app `{}` is listed in {} but is not linked into this binary",
            listed.app, config.file
        ),
        fix,
    )
    .app(listed.app.to_string())
    .location(&listed.location)
}

/// `config.E035`: `[app.<name>]` for an app that is not listed (and not
/// already reported).
fn unlisted_app_tables(config: &Config, apps: &[ResolvedApp], reported: &[Finding]) -> Vec<Finding> {
    config
        .configured_apps()
        .filter(|(name, _)| {
            !apps.iter().any(|a| a.entry.name == *name)
                && !reported.iter().any(|e| e.app.as_deref() == Some(*name))
        })
        .map(|(name, at)| {
            Finding::new(
                "config.E035",
                format!("[app.{name}] configures an app that is not in `apps`"),
                "add the app to `apps`, or fix the table name (it is the app's name, not its crate)",
            )
            .app(name)
            .location(at)
        })
        .collect()
}

/// `config.E036`: `[migration] order` names `core` and every external app
/// exactly once.
fn migration_order(config: &Config, apps: &[ResolvedApp]) -> Option<Finding> {
    let (order, at) = config.migration_order.as_ref()?;
    let known: BTreeSet<&str> = std::iter::once("core")
        .chain(
            apps.iter()
                .filter(|a| a.entry.kind == AppKind::External)
                .map(|a| a.entry.name),
        )
        .collect();
    let given: BTreeSet<&str> = order.iter().map(String::as_str).collect();
    (given != known || given.len() != order.len()).then(|| {
        Finding::new(
            "config.E036",
            format!(
                "[migration] order must name `core` and every external app exactly once (got {order:?}, expected {:?} in any order)",
                known
            ),
            "list each migration owner once: `core` (core and internal apps) and every external app's name",
        )
        .location(at)
    })
}

/// `graph.E018`: internal apps that depend on each other in a cycle.
fn cycles(apps: &[ResolvedApp]) -> Vec<Finding> {
    AppGraph::of(apps.iter().map(|a| a.entry))
        .cycles()
        .into_iter()
        .map(|cycle| {
            let first = apps.iter().find(|a| a.entry.name == cycle[0]);
            Finding::new(
                "graph.E018",
                format!(
                    "internal apps depend on each other in a cycle: {}",
                    cycle.join(" → ")
                ),
                "move what the apps share into core (or into one of them) so that the references go one way",
            )
            .app(cycle[0].clone())
            .location(first.map_or_else(String::new, |a| a.entry.location.to_string()))
        })
        .collect()
}

/// `app.W001`: internal apps that are linked but not listed are not mounted.
fn unlisted_internal_apps(project: &Project, config: &Config, apps: &[ResolvedApp]) -> Vec<Finding> {
    let mounted: HashSet<*const AppEntry> = apps.iter().map(|a| std::ptr::from_ref(a.entry)).collect();
    let listed: HashSet<&str> = config
        .apps
        .iter()
        .filter_map(|l| match &l.app {
            AppRef::Internal(name) => Some(name.as_str()),
            AppRef::External(_) => None,
        })
        .collect();
    registry::apps()
        .iter()
        .filter(|entry| {
            entry.kind == AppKind::Internal
                && entry.crate_name == project.crate_name
                && !mounted.contains(&std::ptr::from_ref(*entry))
                && !listed.contains(entry.name)
        })
        .map(|entry| {
            Finding::new(
                "app.W001",
                format!(
                    "internal app `{}` is linked but not listed in {}, so it is not mounted",
                    entry.name, config.file
                ),
                format!("add \"apps.{}\" to `apps` to mount it", entry.name),
            )
            .app(entry.name)
            .location(entry.location.to_string())
        })
        .collect()
}

/// `app.W002`: an app uses an internal app that is not listed.
fn unlisted_dependencies(apps: &[ResolvedApp]) -> Vec<Finding> {
    let names: HashSet<&str> = apps.iter().map(|a| a.entry.name).collect();
    let mut out = Vec::new();
    for app in apps {
        for dep in app.entry.depends_on {
            if !names.contains(dep) {
                out.push(
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

#[cfg(any(test, feature = "testing"))]
/// The `selected` apps and, transitively, the internal apps they use, in
/// config order: what a partial boot (the test kit's `apps([...])`) mounts
/// and migrates. A name that is not a listed app is `app.E025`.
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

#[cfg(test)]
mod examples {
    //! The examples of this module's items (the module is private to the
    //! crate, so they run here rather than as doc tests).

    #[test]
    fn resolved_app() {
        use crate::registry::AppEntry;
        static NEWS: AppEntry = crate::fixtures::NEWS;
        use crate::{config::Config, loader, Project};
        static PROJECT: Project = Project {
            external_apps: &[&NEWS],
            ..crate::fixtures::PROJECT
        };
        let config =
            Config::parse("fastapp.toml", "apps = [\"news\"]\n[app.news]\nprefix = \"/n\"\n").unwrap();
        let app = &loader::resolve(&PROJECT, &config).unwrap().apps[0];
        assert_eq!(
            (app.entry.name, app.prefix.as_str(), app.listed_at.as_str()),
            ("news", "/n", "fastapp.toml:1:9")
        );
    }

    #[test]
    fn resolved() {
        use crate::registry::{AppEntry, Location};
        #[crate::__private::linkme::distributed_slice(crate::__private::APPS)]
        #[linkme(crate = crate::__private::linkme)]
        static DRAFTS: AppEntry = AppEntry {
            name: "drafts",
            crate_name: "demo",
            location: Location {
                file: "src/apps/drafts/mod.rs",
                line: 1,
            },
            ..crate::fixtures::APP
        };
        use crate::{config::Config, loader, Project};
        static PROJECT: Project = Project {
            ..crate::fixtures::PROJECT
        };
        // `src/apps/drafts/` is linked (its `#[internal_app]`) but not listed.
        let resolved =
            loader::resolve(&PROJECT, &Config::parse("fastapp.toml", "apps = []").unwrap()).unwrap();
        assert!(resolved.apps.is_empty());
        assert_eq!(resolved.warnings[0].id, "app.W001");
    }

    #[test]
    fn resolve() {
        use crate::{config::Config, loader, Project};
        static PROJECT: Project = Project {
            ..crate::fixtures::PROJECT
        };
        let config = Config::parse("fastapp.toml", r#"apps = ["apps.missing"]"#).unwrap();
        let err = loader::resolve(&PROJECT, &config).unwrap_err();
        assert_eq!(err.findings()[0].id, "app.E010");
    }

    #[test]
    fn resolve_all() {
        use crate::registry::AppEntry;
        static NEWS: AppEntry = crate::fixtures::NEWS;
        use crate::{config::Config, loader, Project};
        static PROJECT: Project = Project {
            external_apps: &[&NEWS],
            ..crate::fixtures::PROJECT
        };
        let config = Config::parse("fastapp.toml", "apps = [\"news\", \"apps.missing\"]").unwrap();
        let (resolved, errors) = loader::resolve_all(&PROJECT, &config);
        assert_eq!(resolved.apps[0].entry.name, "news"); // what did resolve
        assert_eq!(errors[0].id, "app.E010"); // apps.missing is not linked
                                              // The crate's own test apps are linked, unlisted: app.W001 for each,
                                              // and nothing else.
        assert!(
            resolved.warnings.iter().all(|w| w.id == "app.W001"),
            "{:?}",
            resolved.warnings
        );
    }

    #[test]
    fn with_dependencies() {
        use crate::{config::Config, loader, Project};
        static PROJECT: Project = Project {
            ..crate::fixtures::PROJECT
        };
        let resolved =
            loader::resolve(&PROJECT, &Config::parse("fastapp.toml", "apps = []").unwrap()).unwrap();
        let err = loader::with_dependencies(&resolved.apps, &["shop"]).unwrap_err();
        assert_eq!(err.findings()[0].id, "app.E025");
    }
}
