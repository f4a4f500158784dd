use super::*;
use crate::registry::{AppEntry, AppKind, Location, RegisterResult};
use crate::AppContext;

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

    ..crate::fixtures::PROJECT
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
        findings[0].message.contains("cannot be mounted at ``") && findings[0].message.contains("fallback"),
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
