//! Route collisions: between apps (`route.E016`, `route.E017`), found the
//! long way when axum refused the short one, and between the apps and
//! fastapp's own routes (`route.E033`, `openapi.E073`).

use super::app::ResolvedApp;
use super::registration::{register_failed, AppRouters, Reader};
use crate::openapi;
use crate::routes::{self, Route};
use crate::{Finding, Router, Settings};

/// The long way, when axum refused the short one: each app's routes read
/// and checked against those mounted before (`route.E016` / `route.E017`),
/// the apps without a clash mounted. An app whose routes cannot be read is
/// mounted on trust; if axum panics, its clash is found by trying it
/// against each earlier app.
pub(super) fn checked(
    apps: &[(&ResolvedApp, AppRouters)],
    read: Reader,
    errors: &mut Vec<Finding>,
) -> Router {
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

/// `route.E016` / `route.E017` between `name`'s routes and those mounted before.
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

/// fastapp's own routes, each with the setting that names its path.
pub(super) fn own_routes(settings: &Settings) -> Vec<(&'static str, Route)> {
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
pub(super) fn own_route_clashes(
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

pub(super) fn unread_finding(name: &str, message: &str) -> Finding {
    Finding::new(
        "route.E038",
        format!("the routes of app `{name}` cannot be listed: {message}"),
        "this axum version is not supported by fastapp's route inventory; pin axum to the version in \
         fastapp's Cargo.lock (serving goes on, with axum's own conflict check)",
    )
    .app(name)
}
