//! The test kit on a project written out by hand (one app, registered
//! without the macros): start-up and shutdown hooks run, every client
//! method reaches its route, and a broken app fails the boot with its rule.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Json;
use fastapp_core::registry::{AppEntry, AppKind, Location, RegisterResult};
use fastapp_core::testing::TestApp;
use fastapp_core::{AppContext, AppState, Project, Router};
use serde_json::{json, Value};

static STARTED: AtomicUsize = AtomicUsize::new(0);
static STOPPED: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn register(ctx: &mut AppContext) -> RegisterResult {
    ctx.on_startup(|state: AppState| async move {
        assert!(
            state.settings().database_url.contains("test"),
            "the test database"
        );
        STARTED.fetch_add(1, Ordering::SeqCst);
        Ok(())
    });
    ctx.on_shutdown(|_| async {
        STOPPED.lock().unwrap().push("kit".into());
        Ok(())
    });
    let echo = |method: &'static str| {
        move |State(_): State<AppState>, body: Option<Json<Value>>| async move {
            Json(json!({"method": method, "body": body.map(|Json(b)| b)}))
        }
    };
    let router = Router::new()
        .route(
            "/things",
            get(|| async { "listed" })
                .post(echo("POST"))
                .put(echo("PUT"))
                .patch(echo("PATCH"))
                .delete(|| async { StatusCode::NO_CONTENT }),
        )
        .route(
            "/starts",
            get(|| async { STARTED.load(Ordering::SeqCst).to_string() }),
        )
        .route(
            "/typed",
            axum::routing::post(|Json(body): Json<Typed>| async move { body.n.to_string() }),
        )
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(std::time::Duration::from_secs(5)).await;
                "late"
            }),
        )
        .route(
            "/teapot",
            get(|| async {
                (
                    StatusCode::IM_A_TEAPOT,
                    axum::response::Html("<h1>short and stout</h1>"),
                )
            }),
        )
        .route(
            "/query",
            get(|axum::extract::Query(q): axum::extract::Query<Typed>| async move { q.n.to_string() }),
        );
    Ok(Some(router))
}

#[derive(serde::Deserialize)]
struct Typed {
    n: u32,
}

fn broken(_: &mut AppContext) -> RegisterResult {
    Err("the mailer has no address".into())
}

static KIT: AppEntry = AppEntry {
    name: "kit",
    kind: AppKind::External,
    default_prefix: None,
    register,
    depends_on: &[],
    migrations: &[],
    crate_name: "kit_app",
    location: Location {
        file: file!(),
        line: line!(),
    },
};

static BROKEN: AppEntry = AppEntry {
    name: "broken",
    kind: AppKind::External,
    default_prefix: None,
    register: broken,
    depends_on: &[],
    migrations: &[],
    crate_name: "broken_app",
    location: Location {
        file: file!(),
        line: line!(),
    },
};

static PROJECT: Project = Project {
    crate_name: "testkit",
    version: "0.1.0",
    config_file: "fastapp.toml",
    config: "apps = [\"kit_app\"]\n[settings]\nflavour = \"plain\"\n",
    source_root: ".",
    migrations: &[],
    external_apps: &[&KIT],
    diesel_except_tables: &[],
};

static BROKEN_PROJECT: Project = Project {
    crate_name: "testkit",
    version: "0.1.0",
    config_file: "fastapp.toml",
    config: "apps = [\"broken_app\"]",
    source_root: ".",
    migrations: &[],
    external_apps: &[&BROKEN],
    diesel_except_tables: &[],
};

#[tokio::test]
async fn hooks_run_and_every_client_method_reaches_its_route() {
    let before = STARTED.load(Ordering::SeqCst);
    let app = TestApp::builder(&PROJECT)
        .setting("flavour", "spicy")
        .boot()
        .await;
    assert!(
        STARTED.load(Ordering::SeqCst) > before,
        "the start-up hook ran before the first request"
    );
    assert_eq!(app.settings().project["flavour"].as_str(), Some("spicy"));
    assert_eq!(app.get("/kit/things").await.assert_ok().text(), "listed");
    for (method, response) in [
        ("POST", app.post_json("/kit/things", &json!({"n": 1})).await),
        ("PUT", app.put_json("/kit/things", &json!({"n": 2})).await),
        ("PATCH", app.patch_json("/kit/things", &json!({"n": 3})).await),
    ] {
        let body: Value = response.assert_ok().json();
        assert_eq!(body["method"], method);
        assert!(body["body"]["n"].is_number(), "{body}");
    }
    app.delete("/kit/things")
        .await
        .assert_status(StatusCode::NO_CONTENT);
    let missing = app.get("/kit/nothing").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let routes: Vec<String> = app
        .routes()
        .map(|(app, route)| format!("{app} {route}"))
        .collect();
    assert!(
        routes
            .iter()
            .any(|r| r.starts_with("kit ") && r.contains("/kit/things")),
        "{routes:?}"
    );

    assert!(STOPPED.lock().unwrap().is_empty());
    app.shutdown().await;
    assert_eq!(*STOPPED.lock().unwrap(), ["kit"], "the shutdown hook ran");
}

#[tokio::test]
async fn a_failing_register_fails_the_boot_with_its_rule() {
    let err = TestApp::builder(&BROKEN_PROJECT).try_boot().await.unwrap_err();
    let finding = &err.findings()[0];
    assert_eq!(finding.id, "app.E011");
    assert!(finding.message.contains("the mailer has no address"), "{finding}");
}

/// Every error answers JSON `{"error": ...}` with `application/json`.
fn json_error(response: fastapp_core::testing::TestResponse, status: StatusCode) -> String {
    let response = response.assert_status(status);
    let content_type = response.headers()["content-type"].to_str().unwrap().to_string();
    assert!(
        content_type.starts_with("application/json"),
        "{status}: {content_type}"
    );
    let body: Value = response.json();
    body["error"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_string()
}

#[tokio::test]
async fn axum_rejections_unknown_routes_and_limits_answer_json() {
    let app = TestApp::builder(&PROJECT)
        .setting("request_timeout", 1)
        .setting("body_limit", 64)
        .boot()
        .await;
    assert_eq!(
        json_error(app.get("/no/such/route").await, StatusCode::NOT_FOUND),
        "not found"
    );
    json_error(app.delete("/kit/starts").await, StatusCode::METHOD_NOT_ALLOWED);
    // Malformed JSON, a missing field, the wrong content type, a bad query.
    let malformed = axum::http::Request::post("/kit/typed")
        .header("content-type", "application/json")
        .body(axum::body::Body::from("{\"n\": "))
        .unwrap();
    json_error(app.send(malformed).await, StatusCode::BAD_REQUEST);
    let missing = json_error(
        app.post_json("/kit/typed", &json!({"m": 1})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    assert!(missing.contains("missing field `n`"), "{missing}");
    let text = axum::http::Request::post("/kit/typed")
        .body(axum::body::Body::from("n=1"))
        .unwrap();
    json_error(app.send(text).await, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    json_error(app.get("/kit/query?n=abc").await, StatusCode::BAD_REQUEST);
    assert_eq!(app.get("/kit/query?n=4").await.assert_ok().text(), "4");
    // body_limit = 64 bytes; request_timeout = 1 s (503: not an invitation to retry).
    let big = json!({"n": 1, "padding": "x".repeat(100)});
    json_error(
        app.post_json("/kit/typed", &big).await,
        StatusCode::PAYLOAD_TOO_LARGE,
    );
    json_error(app.get("/kit/slow").await, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn an_apps_own_typed_error_bodies_are_left_alone() {
    let app = TestApp::boot(&PROJECT).await;
    let html = app
        .get("/kit/teapot")
        .await
        .assert_status(StatusCode::IM_A_TEAPOT);
    assert_eq!(html.headers()["content-type"], "text/html; charset=utf-8");
    assert_eq!(html.text(), "<h1>short and stout</h1>");
}
