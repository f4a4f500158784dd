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
        );
    Ok(Some(router))
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
    config_file: "fastapp.toml",
    config: "apps = [\"kit_app\"]\n[settings]\nflavour = \"plain\"\n",
    source_root: ".",
    migrations: &[],
    external_apps: &[&KIT],
    diesel_except_tables: &[],
};

static BROKEN_PROJECT: Project = Project {
    crate_name: "testkit",
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
