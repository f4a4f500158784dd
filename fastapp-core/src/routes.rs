//! The routes of an axum router: what `routes` prints and what collision
//! detection compares, before axum sees two apps' routers together.
//!
//! axum has no public API that lists a router's routes, so the inventory is
//! read from its `Debug` output (path table and per-path method router). The
//! format is pinned by this module's tests against the axum version in
//! `Cargo.lock`; if axum changes it, those tests fail rather than fastapp
//! silently seeing no routes.

/// One method of one path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Route {
    /// `GET`, `POST`, …, or `ANY` for a nested service.
    pub method: String,
    /// The path as registered, e.g. `/blog/posts/{id}`.
    pub path: String,
}

impl Route {
    /// `method` at `path` (for the crate's tests).
    #[cfg(test)]
    pub(crate) fn new(method: &str, path: &str) -> Route {
        Route {
            method: method.into(),
            path: path.into(),
        }
    }

    /// The path with parameter names erased: `/items/{id}` and
    /// `/items/{item_id}` are the same pattern.
    pub fn pattern(&self) -> String {
        pattern(&self.path)
    }
}

impl std::fmt::Display for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// `/a/{x}/{*rest}` → `/a/{}/{*}`: the path with parameter names erased.
pub fn pattern(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut chars = path.chars();
    while let Some(c) = chars.next() {
        if c == '{' {
            let inner: String = chars.by_ref().take_while(|&c| c != '}').collect();
            out.push_str(if inner.starts_with('*') { "{*}" } else { "{}" });
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether axum's router (matchit) cannot hold both paths, whatever their
/// methods, though they are not the same path: the same pattern written
/// with other parameter names, or a catch-all where the other path has a
/// parameter after the same prefix. Parameters named differently in paths
/// that part ways later are fine.
pub fn paths_conflict(a: &str, b: &str) -> bool {
    if a == b {
        return false;
    }
    if pattern(a) == pattern(b) {
        return true;
    }
    let kind = |s: &str| match (s.starts_with("{*"), s.starts_with('{') && s.ends_with('}')) {
        (true, _) => 2,
        (false, true) => 1,
        _ => 0,
    };
    for (x, y) in a.split('/').zip(b.split('/')) {
        match (kind(x), kind(y)) {
            // A catch-all and a parameter at one place: matchit refuses.
            (1, 2) | (2, 1) => return true,
            // Both parameters: one node, whatever their names; go on.
            (1, 1) => {}
            (0, 0) if x == y => {}
            // Different static segments, or static against a parameter:
            // the paths part ways, each in its own branch.
            _ => return false,
        }
    }
    false
}

/// Whether some request path matches both paths: segment by segment, equal
/// or a parameter on either side, a catch-all matching the rest. Where two
/// such paths are not the same, axum holds both and the static one wins the
/// requests they share: one shadows the other.
pub fn paths_overlap(a: &str, b: &str) -> bool {
    let (mut a, mut b) = (a.split('/'), b.split('/'));
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) => {
                if x.starts_with("{*") || y.starts_with("{*") {
                    return true;
                }
                let param = |s: &str| s.starts_with('{') && s.ends_with('}');
                if !(x == y || param(x) || param(y)) {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

const METHODS: [&str; 9] = [
    "get", "head", "delete", "options", "patch", "post", "put", "trace", "connect",
];

/// The routes of `router`, sorted by path then method.
pub fn inventory<S>(router: &axum::Router<S>) -> Result<Vec<Route>, String> {
    use std::fmt::Write;
    // One pass over one string: at start-up this runs once per app, so it
    // is kept to a formatting and a scan (see `bench/RESULTS.md`).
    let mut debug = String::with_capacity(4096);
    let _ = write!(debug, "{router:?}");
    let unexpected = || format!("cannot read axum's route table (unexpected Debug format): {debug}");
    let start = debug
        .find("path_router: PathRouter { routes: {")
        .ok_or_else(unexpected)?;
    let end = debug.find("fallback_router:").ok_or_else(unexpected)?;
    let section = &debug[start..end];
    let node = section.find("node: Node { paths: {").ok_or_else(unexpected)?;
    let (endpoints, paths) = section.split_at(node);

    let mut by_id = std::collections::HashMap::new();
    for chunk in paths.split("RouteId(").skip(1) {
        let (id, rest) = chunk.split_once("): ").ok_or_else(unexpected)?;
        let quoted = rest.strip_prefix('"').ok_or_else(unexpected)?;
        let path = quoted.split_once('"').ok_or_else(unexpected)?.0;
        by_id.insert(id, path);
    }

    let mut routes = Vec::new();
    for chunk in endpoints.split("RouteId(").skip(1) {
        let (id, endpoint) = chunk.split_once("): ").ok_or_else(unexpected)?;
        let path = *by_id.get(id).ok_or_else(unexpected)?;
        if path.contains("__private__axum") {
            continue; // axum's own helper routes for nested services
        }
        let path = if path.contains("\\\"") {
            path.replace("\\\"", "\"")
        } else {
            path.to_string()
        };
        if endpoint.starts_with("Route(") {
            routes.push(Route {
                method: "ANY".into(),
                path,
            });
            continue;
        }
        let fields = endpoint
            .strip_prefix("MethodRouter(MethodRouter { ")
            .ok_or_else(unexpected)?;
        // `get: BoxedHandler, head: None, …` in `METHODS` order.
        let mut set = [false; METHODS.len()];
        let mut rest = fields;
        for (m, slot) in METHODS.iter().zip(&mut set) {
            let value = rest
                .strip_prefix(m)
                .and_then(|r| r.strip_prefix(": "))
                .ok_or_else(unexpected)?;
            *slot = !value.starts_with("None");
            rest = value.split_once(", ").ok_or_else(unexpected)?.1;
        }
        for (m, is_set) in METHODS.iter().zip(set) {
            // axum answers HEAD for every GET route by itself.
            if is_set && !(*m == "head" && set[0]) {
                routes.push(Route {
                    method: m.to_ascii_uppercase(),
                    path: path.clone(),
                });
            }
        }
    }
    // A nested service appears as `/p` and `/p/`; list it once.
    routes.retain(|r| !(r.method == "ANY" && r.path.ends_with('/') && r.path.len() > 1));
    routes.sort_by(|a, b| (&a.path, &a.method).cmp(&(&b.path, &b.method)));
    Ok(routes)
}

/// Who answers a request: the app and the route (as registered) that its
/// method and path match, looked up in the routes of every app with the
/// router axum itself uses (matchit), so the answer agrees with axum's.
/// The metrics' labels and the panic log line come from here, not from a
/// layer on each route (axum clones a route with its layers for every
/// request it answers).
#[derive(Default)]
pub struct Index {
    /// Each path's answerers, by their place in `answerers`.
    paths: matchit::Router<Vec<usize>>,
    answerers: Vec<Answerer>,
}

/// One method of a path: its app and the path as registered, with a
/// number of its own (its place in the index: what the metrics keep their
/// label sets by, with no string hashed per request).
#[derive(Debug, PartialEq, Eq)]
pub struct Answerer {
    /// `0..Index::len()`.
    pub id: usize,
    /// The app that registered the route.
    pub app: String,
    /// The path as registered, e.g. `/blog/posts/{id}`.
    pub route: String,
    /// `None`: any method (a nested service).
    method: Option<axum::http::Method>,
}

impl Index {
    /// The index of `routes` (each with its app, as
    /// [`Mounted::routes`](crate::loader::Mounted::routes) lists them).
    pub fn new(routes: &[(String, Route)]) -> Index {
        let mut by_path: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
        let mut answerers = Vec::with_capacity(routes.len());
        for (app, route) in routes {
            let id = answerers.len();
            answerers.push(Answerer {
                id,
                app: app.clone(),
                route: route.path.clone(),
                // `ANY`, or a method axum would not have taken (none known).
                method: (route.method != "ANY")
                    .then(|| route.method.parse().ok())
                    .flatten(),
            });
            if route.method == "ANY" {
                // A nested service answers under its path as well.
                let under = format!("{}/{{*__fastapp_rest}}", route.path.trim_end_matches('/'));
                by_path.entry(under).or_default().push(id);
            }
            by_path.entry(route.path.clone()).or_default().push(id);
        }
        let mut paths = matchit::Router::new();
        for (path, ids) in by_path {
            // A path axum took but matchit alone refuses (none known) is
            // left out: its requests count as unmatched.
            let _ = paths.insert(path, ids);
        }
        Index { paths, answerers }
    }

    /// Who answers `method` at `path`: the route of that method, else
    /// `ANY`, else (a method the path does not have: axum answers 405) the
    /// path's first route.
    pub fn find(&self, method: &axum::http::Method, path: &str) -> Option<&Answerer> {
        let ids = self.paths.at(path).ok()?.value;
        let method = if method == axum::http::Method::HEAD {
            &axum::http::Method::GET
        } else {
            method
        };
        let answerer = |id: &usize| &self.answerers[*id];
        ids.iter()
            .map(answerer)
            .find(|a| a.method.as_ref() == Some(method))
            .or_else(|| ids.iter().map(answerer).find(|a| a.method.is_none()))
            .or_else(|| ids.first().map(answerer))
    }

    /// How many answerers there are: every [`Answerer::id`] is below it.
    pub fn len(&self) -> usize {
        self.answerers.len()
    }
}

/// Where axum puts `path` of a router nested at `prefix` (axum's own rule:
/// the nested root `/` is the prefix itself).
pub fn nested_path(prefix: &str, path: &str) -> String {
    match (prefix, path) {
        ("", _) => path.to_string(),
        (_, "/") => prefix.to_string(),
        _ => format!("{prefix}{path}"),
    }
}

#[cfg(test)]
mod tests {
    use axum::routing::{get, post};

    use super::*;

    fn shown(router: &axum::Router) -> Vec<String> {
        inventory(router)
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn nested_merged_and_services_are_listed() {
        let shop: axum::Router = axum::Router::new()
            .route("/items/{id}", get(|| async {}).post(|| async {}))
            .route("/x", post(|| async {}));
        let router = axum::Router::new()
            .nest("/shop", shop)
            .merge(axum::Router::new().route("/", get(|| async {})))
            .nest_service("/static", get(|| async {}));
        assert_eq!(
            shown(&router),
            [
                "GET /",
                "GET /shop/items/{id}",
                "POST /shop/items/{id}",
                "POST /shop/x",
                "ANY /static"
            ]
        );
    }

    #[test]
    fn explicit_head_and_layers_are_seen() {
        let router: axum::Router = axum::Router::new()
            .route("/h", axum::routing::head(|| async {}))
            .route("/l", get(|| async {}))
            .layer(tower::layer::util::Identity::new());
        assert_eq!(shown(&router), ["HEAD /h", "GET /l"]);
    }

    #[test]
    fn empty_router_has_no_routes() {
        assert!(shown(&axum::Router::new()).is_empty());
    }

    mod properties {
        use proptest::prelude::*;

        use super::*;

        /// A path of static, parameter and (last) catch-all segments.
        fn path() -> impl Strategy<Value = String> {
            let segment = prop_oneof![
                Just("a"),
                Just("b"),
                Just("items"),
                Just("{id}"),
                Just("{item_id}")
            ];
            (
                proptest::collection::vec(segment, 1..4),
                prop_oneof![Just(""), Just("/{*rest}")],
            )
                .prop_map(|(segments, tail)| format!("/{}{tail}", segments.join("/")))
        }

        /// Whether axum refuses to hold `GET a` and `GET b` (or `POST b`)
        /// in two merged routers, as two apps' are (it panics).
        fn axum_refuses(a: &str, b: &str, same_method: bool) -> bool {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(|_| {}));
            let refused = std::panic::catch_unwind(|| {
                let first: axum::Router = axum::Router::new().route(a, get(|| async {}));
                let second = if same_method {
                    get(|| async {})
                } else {
                    post(|| async {})
                };
                first.merge(axum::Router::new().route(b, second))
            })
            .is_err();
            std::panic::set_hook(previous);
            refused
        }

        proptest! {
            /// fastapp's collision rules (route.E016: same method and
            /// pattern; route.E017: paths axum cannot hold together) say a
            /// pair clashes exactly when axum would refuse it: fastapp
            /// reports before axum panics, and never refuses what axum can
            /// route.
            #[test]
            fn collisions_are_what_axum_refuses(a in path(), b in path(), same_method: bool) {
                let predicted = (same_method && pattern(&a) == pattern(&b)) || paths_conflict(&a, &b);
                prop_assert_eq!(predicted, axum_refuses(&a, &b, same_method), "{} vs {}", a, b);
            }

            /// The rules do not depend on which app came first, and the
            /// listed route reads back as registered.
            #[test]
            fn rules_are_symmetric_and_inventory_round_trips(a in path(), b in path()) {
                prop_assert_eq!(paths_conflict(&a, &b), paths_conflict(&b, &a));
                prop_assert_eq!(pattern(&a) == pattern(&b), pattern(&b) == pattern(&a));
                let router: axum::Router = axum::Router::new().route(&a, post(|| async {}));
                let listed = inventory(&router).unwrap();
                prop_assert_eq!(listed, vec![Route { method: "POST".into(), path: a.clone() }]);
            }
        }
    }
}

#[cfg(test)]
mod examples {
    //! The examples of this module's items (the module is private to the
    //! crate, so they run here rather than as doc tests).

    #[test]
    fn route() {
        let route = crate::routes::Route {
            method: "GET".into(),
            path: "/blog/posts/{id}".into(),
        };
        assert_eq!(route.to_string(), "GET /blog/posts/{id}");
    }

    #[test]
    fn pattern() {
        let a = crate::routes::Route {
            method: "GET".into(),
            path: "/items/{id}".into(),
        };
        let b = crate::routes::Route {
            method: "GET".into(),
            path: "/items/{item_id}".into(),
        };
        assert_eq!(a.pattern(), b.pattern());
    }

    #[test]
    fn pattern_2() {
        assert_eq!(crate::routes::pattern("/a/{x}/{*rest}"), "/a/{}/{*}");
    }

    #[test]
    fn paths_conflict() {
        use crate::routes::paths_conflict;
        assert!(paths_conflict("/items/{id}", "/items/{item_id}"));
        assert!(paths_conflict("/files/{*path}", "/files/{id}"));
        assert!(!paths_conflict("/items/{id}/a", "/items/{item_id}/b"));
        assert!(!paths_conflict("/files/{*path}", "/files/new"));
        assert!(!paths_conflict("/items/{id}", "/items/{id}"));
    }

    #[test]
    fn paths_overlap() {
        use crate::routes::paths_overlap;
        assert!(paths_overlap("/blog/posts/x", "/blog/posts/{id}"));
        assert!(paths_overlap("/docs/assets/{file}", "/docs/assets/x.css"));
        assert!(paths_overlap("/files/{*rest}", "/files/a/b"));
        assert!(!paths_overlap("/blog/posts/x/y", "/blog/posts/{id}"));
        assert!(!paths_overlap("/healthz", "/blog/{id}"));
    }

    #[test]
    fn inventory() {
        use axum::routing::get;
        let router: axum::Router =
            axum::Router::new().route("/posts", get(|| async { "" }).post(|| async { "" }));
        let routes = crate::routes::inventory(&router).unwrap();
        let shown: Vec<String> = routes.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["GET /posts", "POST /posts"]);
    }

    #[test]
    fn index() {
        use crate::routes::{Index, Route};
        let route = Route::new;
        let index = Index::new(&[
            ("blog".to_string(), route("GET", "/blog/posts/{id}")),
            ("shop".to_string(), route("POST", "/blog/posts/{id}")),
            ("files".to_string(), route("ANY", "/static")),
        ]);
        let found = |method: &str, path: &str| {
            index
                .find(&method.parse().unwrap(), path)
                .map(|a| (a.app.as_str(), a.route.as_str()))
        };
        assert_eq!(found("GET", "/blog/posts/7"), Some(("blog", "/blog/posts/{id}")));
        assert_eq!(found("POST", "/blog/posts/7"), Some(("shop", "/blog/posts/{id}")));
        assert_eq!(found("HEAD", "/blog/posts/7"), Some(("blog", "/blog/posts/{id}")));
        // A method the path lacks: its first route (axum answers 405).
        assert_eq!(
            found("DELETE", "/blog/posts/7"),
            Some(("blog", "/blog/posts/{id}"))
        );
        assert_eq!(found("GET", "/static/app.css"), Some(("files", "/static")));
        assert_eq!(found("GET", "/nothing"), None);
        // Each answerer has its own number, below the index's length.
        let ids: Vec<usize> = ["/blog/posts/7", "/static"]
            .iter()
            .flat_map(|path| ["GET", "POST"].map(|m| index.find(&m.parse().unwrap(), path).unwrap().id))
            .collect();
        assert_eq!(ids, [0, 1, 2, 2]);
        assert_eq!(index.len(), 3);
    }

    #[test]
    fn nested_path() {
        use crate::routes::nested_path;
        assert_eq!(nested_path("/blog", "/posts/{id}"), "/blog/posts/{id}");
        assert_eq!(nested_path("/blog", "/"), "/blog");
        assert_eq!(nested_path("", "/"), "/");
    }
}
