//! Mounting: every app's routers under its prefix, fastapp's own routes,
//! and the state (registration is `registration.rs`'s, route clashes
//! `collisions.rs`').
//!
//! Mounting is the start-up cost that grows with the apps, so it goes the
//! short way first: every app's router is mounted into the project's
//! directly, each route inserted once, without listing a route. fastapp's
//! collision rules refuse exactly what axum's router refuses (a property
//! test holds them to each other), so when axum accepts every app there is
//! nothing to report. Only when it panics are the routes listed (from
//! axum's `Debug` output) and checked app by app, for findings that name
//! both apps. The route list itself ([`Mounted::routes`]) is read when asked
//! for: by `routes`, `check` and the test kit, not by `serve`.

use std::sync::{Arc, OnceLock};

use axum::http::Extensions;

use crate::context::Hook;
use crate::db::DbPool;
use crate::openapi::{self, OpenApi, Part};
use crate::routes::{self, Route};
use crate::{AppState, Error, Finding, Project, Router, Settings};

use super::app::ResolvedApp;
use super::collisions::{checked, own_route_clashes, own_routes, unread_finding};
use super::registration::{register, run_hook, AppRouters, Reader};

/// The result of mounting every app: the router to serve, the state its
/// handlers see, the route table, and the apps' start-up and shutdown hooks.
pub struct Mounted {
    /// The project's router with state, inside the request guard: what
    /// `serve` serves and the test kit sends to ([`Mounted::router`]).
    served: crate::http::Guard<axum::Router>,
    /// The state handlers see.
    pub state: AppState,
    /// The apps' OpenAPI parts merged into one document (see [`crate::openapi`]).
    pub openapi: OpenApi,
    /// `openapi.E072` conflicts between the parts when the `openapi` setting
    /// is off (with it on, they fail [`mount`]); `openapi` is then empty.
    pub openapi_conflicts: Vec<Finding>,
    /// Every route with its app, read when first asked for: for
    /// [`Mounted::routes`], and for the guard (who answered a request).
    inventory: Arc<Inventory>,
    /// What `ready_path` checks; `serve` drains it on SIGTERM.
    readiness: Arc<crate::health::Readiness>,
    /// What `metrics_path` serves, when on.
    metrics: Option<Arc<crate::metrics::Metrics>>,
    // Behind a mutex only so that `Mounted` (and the test kit's `TestApp`)
    // is `Sync`; hooks are reached through `&mut self`, never locked.
    startup: std::sync::Mutex<Vec<Hook>>,
    shutdown: std::sync::Mutex<Vec<Hook>>,
}

/// Every route with its app, read once.
struct RouteTable {
    routes: Vec<(String, Route)>,
    unread: Vec<Finding>,
}

/// The apps' routers as mounted and fastapp's own routes, read into a
/// [`RouteTable`] (and a [`routes::Index`] of it) the first time one is
/// asked for: reading them is kept off start-up (`bench/RESULTS.md`).
struct Inventory {
    apps: Vec<(&'static str, AppRouters)>,
    /// fastapp's own routes: health, readiness, the document and docs page.
    ours: Vec<Route>,
    read: Reader,
    table: OnceLock<RouteTable>,
    index: OnceLock<routes::Index>,
}

impl Inventory {
    fn table(&self) -> &RouteTable {
        self.table.get_or_init(|| {
            let mut table = RouteTable {
                routes: Vec::new(),
                unread: Vec::new(),
            };
            for (name, routers) in &self.apps {
                match routers.read(self.read) {
                    Ok(found) => table
                        .routes
                        .extend(found.into_iter().map(|r| (name.to_string(), r))),
                    Err(message) => table.unread.push(unread_finding(name, &message)),
                }
            }
            table
                .routes
                .extend(self.ours.iter().map(|r| ("fastapp".to_string(), r.clone())));
            table
        })
    }
}

impl Inventory {
    fn index(&self) -> &routes::Index {
        self.index
            .get_or_init(|| routes::Index::new(&self.table().routes))
    }
}

impl crate::http::Answerers for Inventory {
    fn find(&self, method: &axum::http::Method, path: &str) -> Option<&routes::Answerer> {
        self.index().find(method, path)
    }

    fn len(&self) -> usize {
        self.index().len()
    }
}

impl Mounted {
    /// The project's router, with state and everything around it, as an
    /// axum [`Router`](axum::Router) (for `oneshot` requests, or to nest
    /// elsewhere); `serve` serves the same service without this wrapping.
    /// (Every method is at work in this module's `examples` tests.)
    #[cfg(any(test, feature = "testing"))]
    pub fn router(&self) -> axum::Router {
        axum::Router::new().fallback_service(self.served.clone())
    }

    /// What `ready_path` checks, and the switch a stop turns.
    pub(crate) fn readiness(&self) -> &Arc<crate::health::Readiness> {
        &self.readiness
    }

    /// What `metrics_path` serves, when the setting is on.
    pub(crate) fn metrics(&self) -> Option<&Arc<crate::metrics::Metrics>> {
        self.metrics.as_ref()
    }

    /// What `serve` hands hyper, one clone per connection.
    pub(crate) fn served(&self) -> &crate::http::Guard<axum::Router> {
        &self.served
    }

    /// Every route with the app that owns it, in mount order (read from
    /// the apps' routers the first time it is asked for).
    /// (Every method is at work in this module's `examples` tests.)
    pub fn routes(&self) -> &[(String, Route)] {
        &self.table().routes
    }

    /// `route.E038`, one per app whose routes could not be read from
    /// axum's `Debug` output (an axum version fastapp does not know); their
    /// routes are missing from [`Mounted::routes`]. They are served all the
    /// same; `routes` and `check` fail on them.
    /// (Every method is at work in this module's `examples` tests.)
    pub fn unread_routes(&self) -> &[Finding] {
        &self.table().unread
    }

    fn table(&self) -> &RouteTable {
        self.inventory.table()
    }

    /// Runs the apps' start-up hooks in app order; the first failure, or
    /// panic, is `app.E023` (`serve` and the test kit call this after
    /// migrating).
    /// (Every method is at work in this module's `examples` tests.)
    pub async fn start(&mut self) -> Result<(), Error> {
        let startup = std::mem::take(self.startup.get_mut().unwrap_or_else(|p| p.into_inner()));
        for hook in startup {
            run_hook(hook.run, self.state.clone()).await.map_err(|err| {
                Error::from(
                    Finding::new(
                        "app.E023",
                        format!("start-up hook of app `{}` failed: {err}", hook.app),
                        "fix the hook registered with ctx.on_startup in the app's register function",
                    )
                    .app(hook.app)
                    .location(format!("{} (app `{}`)", hook.at, hook.app)),
                )
            })?;
        }
        Ok(())
    }

    /// Runs the apps' shutdown hooks in reverse app order; failures and
    /// panics are logged, and every hook runs.
    /// (Every method is at work in this module's `examples` tests.)
    pub async fn stop(&mut self) {
        let shutdown = std::mem::take(self.shutdown.get_mut().unwrap_or_else(|p| p.into_inner()));
        for hook in shutdown.into_iter().rev() {
            if let Err(err) = run_hook(hook.run, self.state.clone()).await {
                tracing::error!(app = hook.app, %err, "shutdown hook failed");
            }
        }
    }
}

impl std::fmt::Debug for Mounted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mounted")
            .field(
                "apps",
                &self
                    .inventory
                    .apps
                    .iter()
                    .map(|(name, _)| name)
                    .collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

/// Calls every app's `register` in order and mounts what it returns. A
/// `register` that fails or panics is `app.E011`; two apps with the same
/// method and path pattern are `route.E016`, the same pattern with different
/// parameter names or a catch-all against a parameter `route.E017`. The
/// apps' OpenAPI parts are merged (`openapi.E072` on a conflict) and, with
/// the `openapi` setting on, served at `openapi_path` and `docs_path`
/// (`openapi.E073` when an app has a route there).
///
/// An app whose routes cannot be read ([`Mounted::unread_routes`]) is
/// mounted anyway: axum's own panic on a clash is caught and reported as
/// `route.E016`, naming both apps.
pub fn mount(
    project: &Project,
    apps: &[ResolvedApp],
    settings: Arc<Settings>,
    pool: DbPool,
) -> Result<Mounted, Error> {
    mount_reading(project, apps, settings, pool, routes::inventory)
}

/// [`mount`], with the route reader given (tests give one that fails).
fn mount_reading(
    project: &Project,
    apps: &[ResolvedApp],
    settings: Arc<Settings>,
    pool: DbPool,
    read: Reader,
) -> Result<Mounted, Error> {
    let metrics = settings
        .metrics
        .then(|| crate::metrics::Metrics::new(project.crate_name, project.version, pool.clone()));
    let mut errors = Vec::new();
    let mut extensions = Extensions::new();
    let registered = register_all(apps, &settings, &pool, &mut extensions, &mut errors);
    let router = attach_all(&registered.apps, read, &mut errors);
    let (document, openapi_conflicts) = merge_documents(project, &settings, registered.parts, &mut errors);
    let readiness = Arc::new(crate::health::Readiness::new(
        &settings.database_url,
        registered.checks,
        metrics.clone(),
    ));
    let ours = own_routes(&settings);
    // A path of fastapp's own that shares requests with an app's route: axum
    // would hold both, the static one winning (`/blog/posts/x` beside
    // `/blog/posts/{id}`). Only apps mounted where an own path can fall are read.
    if errors.is_empty() {
        errors.extend(own_route_clashes(&registered.apps, read, &ours));
    }
    // The apps page counts routes from the inventory, made below.
    let inventory_slot: Arc<OnceLock<Arc<Inventory>>> = Arc::default();
    let own = Own {
        settings: &settings,
        readiness: &readiness,
        metrics: metrics.as_ref(),
        document: &document,
        apps,
        inventory: &inventory_slot,
    };
    let router = match errors.is_empty().then(|| own.mount(router, &ours)) {
        Some(Ok(router)) => router,
        Some(Err(finding)) => return Err(finding.into()),
        None => return Err(Error::many(errors.into_iter().map(Error::from).collect())),
    };
    let state = AppState::new(settings, pool, extensions);
    let inventory = Arc::new(Inventory {
        apps: registered
            .apps
            .into_iter()
            .map(|(app, routers)| (app.entry.name, routers))
            .collect(),
        ours: ours.into_iter().map(|(_, route)| route).collect(),
        read,
        table: OnceLock::new(),
        index: OnceLock::new(),
    });
    let _ = inventory_slot.set(inventory.clone());
    Ok(Mounted {
        readiness,
        metrics: metrics.clone(),
        served: crate::http::around(
            router.with_state(state.clone()),
            state.settings(),
            crate::http::Answered::new(inventory.clone(), metrics),
        ),
        state,
        openapi: document,
        openapi_conflicts,
        inventory,
        startup: registered.startup.into(),
        shutdown: registered.shutdown.into(),
    })
}

/// What every app's registration produced, gathered in app order.
#[derive(Default)]
struct Registrations<'a> {
    apps: Vec<(&'a ResolvedApp, AppRouters)>,
    startup: Vec<Hook>,
    shutdown: Vec<Hook>,
    checks: Vec<crate::health::Check>,
    parts: Vec<Part>,
}

/// Calls every app's `register` in order (failures into `errors`), each
/// app's routers wrapped to say which app answered.
fn register_all<'a>(
    apps: &'a [ResolvedApp],
    settings: &Arc<Settings>,
    pool: &DbPool,
    extensions: &mut Extensions,
    errors: &mut Vec<Finding>,
) -> Registrations<'a> {
    let mut all = Registrations::default();
    for app in apps {
        let name = app.entry.name;
        let registered = match register(app, settings, pool, extensions) {
            Ok(registered) => registered,
            Err(finding) => {
                errors.push(*finding);
                continue;
            }
        };
        all.startup.extend(registered.startup.into_iter().map(|mut hook| {
            hook.at = app.entry.location.to_string();
            hook
        }));
        all.shutdown.extend(registered.shutdown);
        all.checks.extend(registered.readiness);
        if let Some(document) = registered.document {
            all.parts.push(Part {
                app: name.to_string(),
                prefix: app.prefix.clone(),
                document,
            });
        }
        let AppRouters {
            prefix,
            returned,
            outside,
        } = registered.routers;
        all.apps.push((
            app,
            AppRouters {
                prefix,
                returned: returned.map(|r| crate::http::for_app(name, r)),
                outside: outside.map(|r| crate::http::for_app(name, r)),
            },
        ));
    }
    all
}

/// The project's router with every app attached: the short way (each app
/// straight in) unless axum refuses it or an app failed to register; then
/// the routes are listed and checked app by app, for findings that name
/// both apps.
fn attach_all(apps: &[(&ResolvedApp, AppRouters)], read: Reader, errors: &mut Vec<Finding>) -> Router {
    let mut router = Router::new();
    if errors.is_empty() {
        for (_, routers) in apps {
            let taken = std::mem::take(&mut router);
            match crate::panics::quietly(|| routers.clone().attach(taken)) {
                Ok(with_app) => router = with_app,
                Err(_) => return checked(apps, read, errors),
            }
        }
        return router;
    }
    checked(apps, read, errors)
}

/// The apps' OpenAPI parts and fastapp's own merged into one document. A
/// conflict matters where the document is used: served (into `errors`), or
/// printed (the `openapi` command mounts with the setting on); with the
/// setting off it is returned beside an empty document.
fn merge_documents(
    project: &Project,
    settings: &Settings,
    mut parts: Vec<Part>,
    errors: &mut Vec<Finding>,
) -> (OpenApi, Vec<Finding>) {
    parts.push(Part {
        app: "fastapp".to_string(),
        prefix: String::new(),
        document: crate::health::document(&settings.health_path, &settings.ready_path),
    });
    match openapi::merge(project.crate_name, project.version, &parts) {
        Ok(document) => (document, Vec::new()),
        Err(conflicts) if settings.openapi => {
            errors.extend(conflicts);
            (OpenApi::default(), Vec::new())
        }
        Err(conflicts) => (OpenApi::default(), conflicts),
    }
}

/// fastapp's own routes and what they serve: health, readiness, metrics,
/// the OpenAPI document, the docs and apps pages.
struct Own<'a> {
    settings: &'a Settings,
    readiness: &'a Arc<crate::health::Readiness>,
    metrics: Option<&'a Arc<crate::metrics::Metrics>>,
    document: &'a OpenApi,
    apps: &'a [ResolvedApp],
    inventory: &'a Arc<OnceLock<Arc<Inventory>>>,
}

impl Own<'_> {
    /// `router` with fastapp's own routes merged in. Built inside the
    /// catch as well: axum panics on a path it cannot hold, and `Settings`
    /// made by hand has not had `Settings::load`'s checks (clashes with the
    /// apps' routes were looked for before).
    fn mount(&self, router: Router, ours: &[(&'static str, Route)]) -> Result<Router, Finding> {
        let settings = self.settings;
        crate::panics::quietly(|| router.merge(crate::http::for_app("fastapp", self.router())))
            .map_err(|panic| {
                if settings.openapi && settings.openapi_path == settings.docs_path {
                    return Finding::new(
                        "openapi.E073",
                        format!(
                            "the OpenAPI document and the docs page cannot both be served at {}",
                            settings.openapi_path
                        ),
                        "set `openapi_path` / `docs_path` in fastapp.toml [settings] to two free paths, or set `openapi = false`",
                    );
                }
                Finding::new(
                    "route.E033",
                    format!(
                        "fastapp's own routes ({}) cannot be mounted: {}",
                        ours.iter().map(|(_, r)| r.path.as_str()).collect::<Vec<_>>().join(", "),
                        crate::panics::message(&*panic)
                    ),
                    "give `health_path`, `ready_path`, `openapi_path`, `docs_path` and `metrics_path` in fastapp.toml [settings] free, distinct paths",
                )
            })
    }

    fn router(&self) -> Router {
        let settings = self.settings;
        let mut ours = crate::health::router(
            &settings.health_path,
            &settings.ready_path,
            self.readiness.clone(),
        );
        if let Some(metrics) = self.metrics {
            ours = ours.merge(crate::metrics::router(&settings.metrics_path, metrics.clone()));
        }
        if settings.openapi {
            ours = ours.merge(openapi::router(
                self.document,
                &settings.openapi_path,
                &settings.docs_path,
            ));
            let (apps, slot) = (self.apps.to_vec(), self.inventory.clone());
            ours = ours.merge(crate::graph::router(
                &openapi::apps_page_route(&settings.docs_path),
                move || {
                    let mut graph = crate::graph::AppGraph::resolved(&apps);
                    if let Some(inventory) = slot.get() {
                        graph.count_routes(&apps, &inventory.table().routes);
                    }
                    graph
                },
            ));
        }
        ours
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod examples;
