//! Registration and mounting: every app's `register`, its routes under its
//! prefix, collisions reported before axum's panic would be, and the hooks.
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

use std::panic::AssertUnwindSafe;
use std::sync::{Arc, OnceLock};

use axum::http::Extensions;

use crate::context::{Hook, HookFn};
use crate::db::DbPool;
use crate::error::BoxError;
use crate::openapi::{self, OpenApi, Part};
use crate::routes::{self, Route};
use crate::{AppContext, AppState, Error, Finding, Project, Router, Settings};

use super::ResolvedApp;

/// Reads one router's routes (tests give one that fails).
type Reader = fn(&Router) -> Result<Vec<Route>, String>;

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

impl crate::http::Answerers for Inventory {
    fn find(&self, method: &str, path: &str) -> Option<(&str, &str)> {
        self.index
            .get_or_init(|| routes::Index::new(&self.table().routes))
            .find(method, path)
    }
}

impl Mounted {
    /// The project's router, with state and everything around it, as an
    /// axum [`Router`](axum::Router) (for `oneshot` requests, or to nest
    /// elsewhere); `serve` serves the same service without this wrapping.
    /// (Every method is at work in the example on [`Mounted`].)
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
    /// (Every method is at work in the example on [`Mounted`].)
    pub fn routes(&self) -> &[(String, Route)] {
        &self.table().routes
    }

    /// `route.E038`, one per app whose routes could not be read from
    /// axum's `Debug` output (an axum version fastapp does not know); their
    /// routes are missing from [`Mounted::routes`]. They are served all the
    /// same; `routes` and `check` fail on them.
    /// (Every method is at work in the example on [`Mounted`].)
    pub fn unread_routes(&self) -> &[Finding] {
        &self.table().unread
    }

    fn table(&self) -> &RouteTable {
        self.inventory.table()
    }

    /// Runs the apps' start-up hooks in app order; the first failure, or
    /// panic, is `app.E023` (`serve` and the test kit call this after
    /// migrating).
    /// (Every method is at work in the example on [`Mounted`].)
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
    /// (Every method is at work in the example on [`Mounted`].)
    pub async fn stop(&mut self) {
        let shutdown = std::mem::take(self.shutdown.get_mut().unwrap_or_else(|p| p.into_inner()));
        for hook in shutdown.into_iter().rev() {
            if let Err(err) = run_hook(hook.run, self.state.clone()).await {
                tracing::error!(app = hook.app, %err, "shutdown hook failed");
            }
        }
    }
}

/// Runs one hook where it is awaited, a panic in it (while the hook builds
/// its future, or while it runs) caught as its error, "panicked: …", not
/// the end of the process.
async fn run_hook(run: HookFn, state: AppState) -> Result<(), BoxError> {
    use futures_util::FutureExt;
    let panicked = |panic: Box<dyn std::any::Any + Send>| -> BoxError {
        format!("panicked: {}", crate::panics::message(&*panic)).into()
    };
    let future = std::panic::catch_unwind(AssertUnwindSafe(move || run(state))).map_err(panicked)?;
    AssertUnwindSafe(future).catch_unwind().await.map_err(panicked)?
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
    let mut extensions = Extensions::new();
    let mut errors = Vec::new();
    let mut startup = Vec::new();
    let mut shutdown = Vec::new();
    let mut checks = Vec::new();
    let mut parts = Vec::new();
    let mut registered_apps: Vec<(&ResolvedApp, AppRouters)> = Vec::new();
    let metrics = settings
        .metrics
        .then(|| crate::metrics::Metrics::new(project.crate_name, project.version, pool.clone()));
    for app in apps {
        let name = app.entry.name;
        let registered = match register(app, &settings, &pool, &mut extensions) {
            Ok(registered) => registered,
            Err(finding) => {
                errors.push(*finding);
                continue;
            }
        };
        startup.extend(registered.startup.into_iter().map(|mut hook| {
            hook.at = app.entry.location.to_string();
            hook
        }));
        shutdown.extend(registered.shutdown);
        checks.extend(registered.readiness);
        if let Some(document) = registered.document {
            parts.push(Part {
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
        registered_apps.push((
            app,
            AppRouters {
                prefix,
                returned: returned.map(|r| crate::http::for_app(name, r)),
                outside: outside.map(|r| crate::http::for_app(name, r)),
            },
        ));
    }

    // The short way: every app straight into the project's router.
    let mut router = Router::new();
    let mut refused = !errors.is_empty();
    if !refused {
        for (_, routers) in &registered_apps {
            let taken = std::mem::take(&mut router);
            match crate::panics::quietly(|| routers.clone().attach(taken)) {
                Ok(with_app) => router = with_app,
                Err(_) => {
                    refused = true;
                    break;
                }
            }
        }
    }
    // axum refused something (or an app failed to register): list the
    // routes and check app by app, for every finding with both apps named.
    if refused {
        router = checked(&registered_apps, read, &mut errors);
    }

    // A conflict matters where the document is used: served, or printed
    // (the `openapi` command mounts with the setting on).
    let mut openapi_conflicts = Vec::new();
    parts.push(Part {
        app: "fastapp".to_string(),
        prefix: String::new(),
        document: crate::health::document(&settings.health_path, &settings.ready_path),
    });
    let document = openapi::merge(project.crate_name, project.version, &parts).unwrap_or_else(|conflicts| {
        if settings.openapi {
            errors.extend(conflicts);
        } else {
            openapi_conflicts = conflicts;
        }
        OpenApi::default()
    });
    let readiness = Arc::new(crate::health::Readiness::new(
        &settings.database_url,
        checks,
        metrics.clone(),
    ));
    let ours = own_routes(&settings);
    // A path of fastapp's own that shares requests with an app's route: axum
    // would hold both, the static one winning (`/blog/posts/x` beside
    // `/blog/posts/{id}`). Only apps mounted where an own path can fall are read.
    if errors.is_empty() {
        errors.extend(own_route_clashes(&registered_apps, read, &ours));
    }
    // The apps page counts routes from the inventory, made below.
    let inventory_slot: Arc<OnceLock<Arc<Inventory>>> = Arc::default();
    if errors.is_empty() {
        let taken = std::mem::take(&mut router);
        // Built inside as well: axum panics on a path it cannot hold, and
        // `Settings` made by hand has not had `Settings::load`'s checks.
        match crate::panics::quietly(|| {
            let mut ours =
                crate::health::router(&settings.health_path, &settings.ready_path, readiness.clone());
            if let Some(metrics) = &metrics {
                ours = ours.merge(crate::metrics::router(&settings.metrics_path, metrics.clone()));
            }
            if settings.openapi {
                ours = ours.merge(openapi::router(
                    &document,
                    &settings.openapi_path,
                    &settings.docs_path,
                ));
                let (apps, slot) = (apps.to_vec(), inventory_slot.clone());
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
            taken.merge(crate::http::for_app("fastapp", ours))
        }) {
            Ok(with_ours) => router = with_ours,
            Err(panic) => {
                // Clashes with the apps' routes were looked for above.
                if errors.is_empty() && settings.openapi && settings.openapi_path == settings.docs_path {
                    errors.push(Finding::new(
                        "openapi.E073",
                        format!(
                            "the OpenAPI document and the docs page cannot both be served at {}",
                            settings.openapi_path
                        ),
                        "set `openapi_path` / `docs_path` in fastapp.toml [settings] to two free paths, or set `openapi = false`",
                    ));
                }
                if errors.is_empty() {
                    errors.push(Finding::new(
                        "route.E033",
                        format!(
                            "fastapp's own routes ({}) cannot be mounted: {}",
                            ours.iter().map(|(_, r)| r.path.as_str()).collect::<Vec<_>>().join(", "),
                            crate::panics::message(&*panic)
                        ),
                        "give `health_path`, `ready_path`, `openapi_path`, `docs_path` and `metrics_path` in fastapp.toml [settings] free, distinct paths",
                    ));
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(Error::many(errors.into_iter().map(Error::from).collect()));
    }
    let state = AppState::new(settings, pool, extensions);
    let inventory = Arc::new(Inventory {
        apps: registered_apps
            .into_iter()
            .map(|(app, routers)| (app.entry.name, routers))
            .collect(),
        ours: ours.into_iter().map(|(_, route)| route).collect(),
        read,
        table: OnceLock::new(),
        index: OnceLock::new(),
    });
    let _ = inventory_slot.set(inventory.clone());
    let mounted = Mounted {
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
        startup: startup.into(),
        shutdown: shutdown.into(),
    };
    Ok(mounted)
}

/// The long way, when axum refused the short one: each app's routes read
/// and checked against those mounted before (`route.E016` / `route.E017`),
/// the apps without a clash mounted. An app whose routes cannot be read is
/// mounted on trust; if axum panics, its clash is found by trying it
/// against each earlier app.
fn checked(apps: &[(&ResolvedApp, AppRouters)], read: Reader, errors: &mut Vec<Finding>) -> Router {
    let mut router = Router::new();
    let mut all_routes: Vec<(String, Route)> = Vec::new();
    let mut index = RouteIndex::default();
    let mut unread: Vec<(&str, AppRouters)> = Vec::new();
    for (app, routers) in apps {
        let name = app.entry.name;
        let (app_routes, readable) = match routers.read(read) {
            Ok(app_routes) => (app_routes, true),
            Err(_) => (Vec::new(), false),
        };
        let clashes = collisions(name, &app_routes, &all_routes, &index);
        if !clashes.is_empty() {
            errors.extend(clashes);
            continue;
        }
        let attempt = if readable {
            let taken = std::mem::take(&mut router);
            crate::panics::quietly(|| routers.clone().attach(taken))
        } else {
            unread.push((name, routers.clone()));
            let on = router.clone();
            crate::panics::quietly(|| routers.clone().attach(on))
        };
        match attempt {
            Ok(with_app) => router = with_app,
            Err(panic) => {
                let message = crate::panics::message(&*panic);
                errors.push(if readable {
                    // The checks found no clash: what axum refused is the
                    // app's own router under its prefix.
                    register_failed(
                        app,
                        format!("its router cannot be mounted at `{}`: {message}", app.prefix),
                    )
                } else {
                    clash_found_by_axum(name, &message, &unread, &all_routes)
                });
                continue;
            }
        }
        for route in app_routes {
            index.add(all_routes.len(), &route);
            all_routes.push((name.to_string(), route));
        }
    }
    router
}

/// fastapp's own routes, each with the setting that names its path.
fn own_routes(settings: &Settings) -> Vec<(&'static str, Route)> {
    let mut ours = vec![
        ("health_path", settings.health_path.clone()),
        ("ready_path", settings.ready_path.clone()),
    ];
    if settings.metrics {
        ours.push(("metrics_path", settings.metrics_path.clone()));
    }
    if settings.openapi {
        ours.push(("openapi_path", settings.openapi_path.clone()));
        ours.extend(
            openapi::docs_routes(&settings.docs_path)
                .into_iter()
                .map(|path| ("docs_path", path)),
        );
    }
    ours.into_iter()
        .map(|(key, path)| {
            let route = Route {
                method: "GET".into(),
                path,
            };
            (key, route)
        })
        .collect()
}

/// The app routes where fastapp serves its own, or that share requests
/// with one ([`routes::paths_overlap`]): `openapi.E073` at the document or
/// docs pages, `route.E033` at the health, readiness or metrics path. Only
/// the apps an own path can fall under (by prefix, or mounted outside it)
/// are read.
fn own_route_clashes(
    apps: &[(&ResolvedApp, AppRouters)],
    read: Reader,
    ours: &[(&'static str, Route)],
) -> Vec<Finding> {
    let mut found = Vec::new();
    for (app, routers) in apps {
        let owner = app.entry.name;
        let under = |path: &str| {
            routes::paths_overlap(&format!("{}/{{*rest}}", routers.prefix), path)
                || routes::paths_overlap(&routers.prefix, path)
        };
        if routers.outside.is_none() && !ours.iter().any(|(_, route)| under(&route.path)) {
            continue;
        }
        for existing in routers.read(read).unwrap_or_default() {
            for (key, route) in ours {
                // The same path: axum merges other methods, refuses GET's.
                let same = existing.pattern() == routes::pattern(&route.path);
                if (same && (existing.method == "GET" || existing.method == "ANY"))
                    || (!same && routes::paths_overlap(&existing.path, &route.path))
                {
                    let (id, what) = match *key {
                        "openapi_path" | "docs_path" => ("openapi.E073", "the OpenAPI document or docs page"),
                        _ => ("route.E033", "fastapp's health, readiness or metrics route"),
                    };
                    found.push(
                        Finding::new(
                            id,
                            if same {
                                format!("route `{existing}` of app `{owner}` is where {what} is served (setting `{key}`)")
                            } else {
                                format!(
                                    "route `{existing}` of app `{owner}` shares requests with {what} at `{}` (setting `{key}`): fastapp's would answer them",
                                    route.path
                                )
                            },
                            format!("set `{key}` in fastapp.toml [settings] to a free path, or move the app's route"),
                        )
                        .app(owner)
                        .location(format!("{existing} ({owner})")),
                    );
                }
            }
        }
    }
    found
}

fn unread_finding(name: &str, message: &str) -> Finding {
    Finding::new(
        "route.E038",
        format!("the routes of app `{name}` cannot be listed: {message}"),
        "this axum version is not supported by fastapp's route inventory; pin axum to the version in \
         fastapp's Cargo.lock (serving goes on, with axum's own conflict check)",
    )
    .app(name)
}

/// What one app's registration produced: its routers and hooks.
struct Registered {
    routers: AppRouters,
    startup: Vec<Hook>,
    shutdown: Vec<Hook>,
    readiness: Vec<crate::health::Check>,
    document: Option<OpenApi>,
}

/// An app's routers, before they are mounted.
#[derive(Clone)]
struct AppRouters {
    /// The app's prefix (`""` = the root).
    prefix: String,
    /// The router `register` returned, to go under the prefix.
    returned: Option<Router>,
    /// What the app mounted itself ([`AppContext::nest`] / [`AppContext::merge`]).
    outside: Option<Router>,
}

impl AppRouters {
    /// The app's routes, its returned router's under its prefix (where
    /// axum's `nest` puts them), sorted by path then method.
    fn read(&self, read: Reader) -> Result<Vec<Route>, String> {
        let mut found = Vec::new();
        if let Some(returned) = &self.returned {
            found.extend(read(returned)?.into_iter().map(|route| Route {
                path: routes::nested_path(&self.prefix, &route.path),
                method: route.method,
            }));
        }
        if let Some(outside) = &self.outside {
            found.extend(read(outside)?);
        }
        found.sort_by(|a, b| (&a.path, &a.method).cmp(&(&b.path, &b.method)));
        Ok(found)
    }

    /// `router` with the app's routers mounted where they go (axum
    /// panics on a clash).
    fn attach(self, mut router: Router) -> Router {
        if let Some(outside) = self.outside {
            router = router.merge(outside);
        }
        match self.returned {
            Some(returned) if self.prefix.is_empty() => router.merge(returned),
            Some(returned) => router.nest(&self.prefix, returned),
            None => router,
        }
    }
}

/// `route.E016` for an app whose routes could not be read, from axum's
/// panic: the other apps are the unread ones that clash with it alone, and
/// the read ones with a route whose path axum names.
fn clash_found_by_axum(
    name: &str,
    message: &str,
    unread: &[(&str, AppRouters)],
    mounted: &[(String, Route)],
) -> Finding {
    let (this, earlier) = unread.split_last().expect("the app itself is in `unread`");
    let mut others: Vec<&str> = earlier
        .iter()
        .filter(|(_, other)| {
            crate::panics::quietly(|| this.1.clone().attach(other.clone().attach(Router::new()))).is_err()
        })
        .map(|(other, _)| *other)
        .collect();
    for (owner, route) in mounted {
        if message.contains(&format!("`{}`", route.path)) && !others.contains(&owner.as_str()) {
            others.push(owner);
        }
    }
    let with = match others.as_slice() {
        [] => "earlier apps".to_string(),
        names => names
            .iter()
            .map(|n| format!("app `{n}`"))
            .collect::<Vec<_>>()
            .join(", "),
    };
    Finding::new(
        "route.E016",
        format!("the routes of app `{name}` clash with {with}: {message}"),
        format!(
            "give one of the apps another prefix in fastapp.toml (e.g. [app.{name}] prefix = \"/{name}\"), \
             or change the clashing route"
        ),
    )
    .app(name)
    .location(format!("{name} / {}", others.join(", ")))
}

/// `app.E011`: `app`'s registration failed, for `message`.
fn register_failed(app: &ResolvedApp, message: String) -> Finding {
    let name = app.entry.name;
    Finding::new(
        "app.E011",
        format!("app `{name}` failed to register: {message}"),
        format!("fix the app's register function at {}", app.entry.location),
    )
    .app(name)
    .location(app.entry.location.to_string())
}

/// Calls `app`'s `register` with a context; `app.E011` when it fails or
/// panics. The typed extensions pass from app to app through `extensions`.
fn register(
    app: &ResolvedApp,
    settings: &Arc<Settings>,
    pool: &DbPool,
    extensions: &mut Extensions,
) -> Result<Registered, Box<Finding>> {
    let name = app.entry.name;
    let failed = |message: String| Box::new(register_failed(app, message));
    let mut ctx = AppContext {
        app: name,
        prefix: app.prefix.clone(),
        settings: settings.clone(),
        pool: pool.clone(),
        extensions: std::mem::take(extensions),
        mounted: None,
        startup: Vec::new(),
        shutdown: Vec::new(),
        readiness: Vec::new(),
        document: None,
    };
    let returned = crate::panics::quietly(|| (app.entry.register)(&mut ctx));
    *extensions = std::mem::take(&mut ctx.extensions);
    let returned = match returned {
        Ok(Ok(returned)) => returned,
        Ok(Err(err)) => return Err(failed(err.to_string())),
        Err(panic) => {
            return Err(failed(format!(
                "it panicked: {}",
                crate::panics::message(&*panic)
            )))
        }
    };
    Ok(Registered {
        routers: AppRouters {
            prefix: app.prefix.clone(),
            returned,
            outside: ctx.mounted,
        },
        startup: ctx.startup,
        shutdown: ctx.shutdown,
        readiness: ctx.readiness,
        document: ctx.document,
    })
}

/// `route.E016` / `route.E017` between `name`'s routes and those mounted before.
/// Where each mounted route is, by pattern, so that finding a clash costs
/// the routes that can clash, not every route mounted (start-up and `check`
/// stay linear in the number of routes; see `bench/RESULTS.md`).
#[derive(Default)]
struct RouteIndex {
    by_pattern: std::collections::HashMap<String, Vec<usize>>,
    /// Routes with a catch-all (`{*rest}`): rare, and compared with every
    /// route that has a parameter.
    catch_alls: Vec<usize>,
    /// Routes with a parameter, compared with a new catch-all.
    with_params: Vec<usize>,
}

impl RouteIndex {
    fn add(&mut self, at: usize, route: &Route) {
        self.by_pattern.entry(route.pattern()).or_default().push(at);
        if route.path.contains("{*") {
            self.catch_alls.push(at);
        } else if route.path.contains('{') {
            self.with_params.push(at);
        }
    }

    /// The mounted routes that may clash with `route`, in mount order.
    fn candidates(&self, route: &Route) -> Vec<usize> {
        let mut found: Vec<usize> = self.by_pattern.get(&route.pattern()).cloned().unwrap_or_default();
        if route.path.contains("{*") {
            found.extend(&self.with_params);
            found.extend(&self.catch_alls);
        } else if route.path.contains('{') {
            found.extend(&self.catch_alls);
        }
        found.sort_unstable();
        found.dedup();
        found
    }
}

fn collisions(
    name: &str,
    app_routes: &[Route],
    mounted: &[(String, Route)],
    index: &RouteIndex,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for route in app_routes {
        for (owner, existing) in index.candidates(route).into_iter().map(|at| &mounted[at]) {
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
            } else if routes::paths_conflict(&existing.path, &route.path) {
                Finding::new(
                    "route.E017",
                    format!(
                        "route `{route}` of app `{name}` and route `{existing}` of app `{owner}` cannot both be routed by axum, \
                         whatever their methods: {}",
                        if existing.pattern() == route.pattern() {
                            "they are the same path with the parameters named differently"
                        } else {
                            "one has a catch-all (`{*…}`) where the other has a parameter"
                        }
                    ),
                    "use the same parameter names for the same path, turn the catch-all into a static segment or parameter, \
                     or give one app another prefix",
                )
            } else {
                continue;
            };
            out.push(
                finding
                    .app(name)
                    .location(format!("{route} ({name}) / {existing} ({owner})")),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::{AppEntry, AppKind, Location, RegisterResult};

    fn items(_: &mut AppContext) -> RegisterResult {
        Ok(Some(
            Router::new().route("/items", axum::routing::get(|| async { "items" })),
        ))
    }

    fn other(_: &mut AppContext) -> RegisterResult {
        Ok(Some(
            Router::new().route("/other", axum::routing::get(|| async { "other" })),
        ))
    }

    const fn entry(name: &'static str, register: fn(&mut AppContext) -> RegisterResult) -> AppEntry {
        AppEntry {
            name,
            kind: AppKind::Internal,
            default_prefix: Some(""),
            register,
            depends_on: &[],
            migrations: &[],
            crate_name: "test",
            location: Location {
                file: "src/apps.rs",
                line: 1,
            },
        }
    }

    fn spa(_: &mut AppContext) -> RegisterResult {
        Ok(Some(
            Router::new()
                .route("/spa", axum::routing::get(|| async { "spa" }))
                .fallback(|| async { "spa fallback" }),
        ))
    }

    fn site(_: &mut AppContext) -> RegisterResult {
        Ok(Some(
            Router::new()
                .route("/site", axum::routing::get(|| async { "site" }))
                .fallback(|| async { "site fallback" }),
        ))
    }

    static SHOP: AppEntry = entry("shop", items);
    static SPA: AppEntry = entry("spa", spa);
    static SITE: AppEntry = entry("site", site);
    static STORE: AppEntry = entry("store", items);
    static ELSE: AppEntry = entry("elsewhere", other);

    static PROJECT: Project = Project {
        crate_name: "test",
        version: "0.1.0",
        config_file: "fastapp.toml",
        config: "",
        source_root: ".",
        migrations: &[],
        external_apps: &[],
        diesel_except_tables: &[],
    };

    fn unreadable(_: &Router) -> Result<Vec<Route>, String> {
        Err("unexpected Debug format".into())
    }

    fn apps(entries: &[&'static AppEntry]) -> Vec<ResolvedApp> {
        entries
            .iter()
            .map(|entry| ResolvedApp {
                entry,
                prefix: String::new(),
                listed_at: "fastapp.toml:1".into(),
                uses: None,
            })
            .collect()
    }

    fn mount_unreadable(entries: &[&'static AppEntry]) -> Result<Mounted, Error> {
        let settings = Arc::new(Settings::default());
        mount_reading(
            &PROJECT,
            &apps(entries),
            settings,
            crate::db::pool("unused.db"),
            unreadable,
        )
    }

    /// No two routes clash, so fastapp's checks find nothing, but axum
    /// refuses the second root-mounted app all the same (two fallbacks):
    /// `app.E011` of that app, with axum's reason.
    #[test]
    fn a_router_axum_refuses_without_a_route_clash_is_app_e011_of_that_app() {
        let err = mount(
            &PROJECT,
            &apps(&[&SPA, &SITE]),
            Arc::new(Settings::default()),
            crate::db::pool("unused.db"),
        )
        .unwrap_err();
        let findings = err.findings();
        assert_eq!(findings.len(), 1, "{err}");
        assert_eq!(findings[0].id, "app.E011", "{err}");
        assert_eq!(findings[0].app.as_deref(), Some("site"), "{err}");
        assert!(
            findings[0].message.contains("cannot be mounted at ``")
                && findings[0].message.contains("fallback"),
            "{}",
            findings[0].message
        );
    }

    #[test]
    fn unreadable_routes_are_reported_but_the_apps_still_serve() {
        let mounted = mount_unreadable(&[&SHOP, &ELSE]).unwrap();
        let ids: Vec<&str> = mounted.unread_routes().iter().map(|f| f.id).collect();
        assert_eq!(ids, ["route.E038", "route.E038"]);
        assert!(mounted.unread_routes()[0].message.contains("app `shop`"));
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        for (path, body) in [("/items", "items"), ("/other", "other")] {
            let response = runtime.block_on(tower::ServiceExt::oneshot(
                mounted.router(),
                axum::http::Request::get(path)
                    .body(axum::body::Body::empty())
                    .unwrap(),
            ));
            let response = response.unwrap();
            assert_eq!(response.status(), 200, "{path}");
            let bytes = runtime
                .block_on(axum::body::to_bytes(response.into_body(), 1024))
                .unwrap();
            assert_eq!(bytes, body);
        }
    }

    #[test]
    fn without_the_route_list_axums_panic_is_route_e016_naming_both_apps() {
        let err = mount_unreadable(&[&SHOP, &ELSE, &STORE]).unwrap_err();
        let findings = err.findings();
        assert_eq!(findings.len(), 1, "{err}");
        assert_eq!(findings[0].id, "route.E016");
        assert!(
            findings[0]
                .message
                .contains("the routes of app `store` clash with app `shop`")
                && findings[0].message.contains("/items"),
            "{}",
            findings[0].message
        );
        assert_eq!(findings[0].location.as_deref(), Some("store / shop"));
    }
}

#[cfg(test)]
mod examples {
    //! The examples of this module's items (the module is private to the
    //! crate, so they run here rather than as doc tests).

    #[test]
    fn mounted() {
        use crate::{config::Config, db, loader, Project, Settings};
        use axum::{
            body::Body,
            http::{Request, StatusCode},
        };
        use std::sync::Arc;
        use tower::ServiceExt;

        static PROJECT: Project = Project {
            crate_name: "demo",
            version: "0.1.0",
            config_file: "fastapp.toml",
            config: "apps = []",
            source_root: ".",
            migrations: &[],
            external_apps: &[],
            diesel_except_tables: &[],
        };

        #[tokio::main(flavor = "current_thread")]
        async fn main() {
            let config = Config::parse(PROJECT.config_file, PROJECT.config).unwrap();
            let apps = loader::resolve(&PROJECT, &config).unwrap().apps;
            let mut mounted = loader::mount(
                &PROJECT,
                &apps,
                Arc::new(Settings::default()),
                db::pool(":memory:"),
            )
            .unwrap();

            // No apps: the only routes are fastapp's health, readiness, OpenAPI
            // document, docs page (Swagger UI and its files) and apps page.
            let routes: Vec<String> = mounted
                .routes()
                .iter()
                .map(|(app, route)| format!("{app}: {route}"))
                .collect();
            assert_eq!(
                routes,
                [
                    "fastapp: GET /healthz",
                    "fastapp: GET /readyz",
                    "fastapp: GET /openapi.json",
                    "fastapp: GET /docs",
                    "fastapp: GET /docs/assets/{file}",
                    "fastapp: GET /docs/apps",
                ]
            );
            assert!(mounted.unread_routes().is_empty());

            mounted.start().await.unwrap(); // the apps' start-up hooks, in app order
            let request = Request::get("/openapi.json").body(Body::empty()).unwrap();
            let response = mounted.router().oneshot(request).await.unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            mounted.stop().await; // their shutdown hooks, in reverse order
        }
        main();
    }

    #[test]
    fn mount() {
        use crate::{config::Config, db, loader, Project, Settings};
        use std::sync::Arc;

        static PROJECT: Project = Project {
            crate_name: "demo",
            version: "0.1.0",
            config_file: "fastapp.toml",
            config: "apps = []",
            source_root: ".",
            migrations: &[],
            external_apps: &[],
            diesel_except_tables: &[],
        };

        let config = Config::parse(PROJECT.config_file, PROJECT.config).unwrap();
        let apps = loader::resolve(&PROJECT, &config).unwrap().apps;
        // The document's path taken by the docs page as well: openapi.E073.
        let settings = Settings {
            docs_path: "/openapi.json".into(),
            ..Settings::default()
        };
        let err = loader::mount(&PROJECT, &apps, Arc::new(settings), db::pool(":memory:")).unwrap_err();
        assert_eq!(err.findings()[0].id, "openapi.E073");
    }
}
