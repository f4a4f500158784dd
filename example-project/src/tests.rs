//! What the test kit promises, on this project: a fresh database per test
//! (SQLite files by default; PostgreSQL databases with
//! FASTAPP_TEST_DATABASE_URL), parallel tests that do not see each other,
//! partial boots that migrate only what the chosen apps need, and no
//! database left behind by a test that panics.

use std::sync::{Condvar, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use diesel::prelude::*;
use fastapp_core::testing::TestApp;
use serde_json::{json, Value};

use crate::core::schema::users;

async fn tables(app: &TestApp) -> Vec<String> {
    app.db(|conn| Ok(fastapp_core::migrate::database_tables(conn).expect("list tables")))
        .await
}

/// Waits (up to 10 s) until `n` tests have arrived, so that the tests
/// below really write at the same time (and still pass with --test-threads=1).
fn rendezvous(n: usize) {
    static ARRIVED: Mutex<usize> = Mutex::new(0);
    static ALL_HERE: Condvar = Condvar::new();
    let mut arrived = ARRIVED.lock().unwrap();
    *arrived += 1;
    ALL_HERE.notify_all();
    let _ = ALL_HERE
        .wait_timeout_while(arrived, Duration::from_secs(10), |arrived| *arrived < n)
        .unwrap();
}

/// Both tests create user `ada` (a unique column) and find exactly one user:
/// each has its own database, whatever the order or overlap.
async fn writes_the_same_unique_username() {
    let app = TestApp::boot(&crate::PROJECT).await;
    assert_eq!(
        app.db(|conn| users::table.count().get_result::<i64>(conn)).await,
        0,
        "a fresh database has no rows from other tests"
    );
    tokio::task::spawn_blocking(|| rendezvous(2)).await.unwrap();
    app.post_json(
        "/accounts/users",
        &json!({"username": "ada", "email": "ada@example.com"}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    let names: Vec<String> = app
        .db(|conn| users::table.select(users::username).load(conn))
        .await;
    assert_eq!(names, ["ada"]);
}

#[tokio::test]
async fn parallel_test_one_writes_ada() {
    writes_the_same_unique_username().await;
}

#[tokio::test]
async fn parallel_test_two_writes_ada() {
    writes_the_same_unique_username().await;
}

#[tokio::test]
async fn booting_every_app_migrates_and_mounts_everything() {
    let app = TestApp::boot(&crate::PROJECT).await;
    let tables = tables(&app).await;
    for table in ["users", "posts", "subscribers", "__diesel_schema_migrations"] {
        assert!(tables.contains(&table.to_string()), "{table} in {tables:?}");
    }
    let apps: std::collections::BTreeSet<&str> = app.routes().map(|(app, _)| app).collect();
    // fastapp's own routes: health, readiness, the OpenAPI document and the docs page.
    assert_eq!(apps, ["accounts", "blog", "fastapp", "newsletter"].into());
    let openapi: Value = app
        .get("/openapi.json")
        .await
        .assert_status(StatusCode::OK)
        .json();
    assert_eq!(
        openapi["tags"],
        json!([{"name": "accounts"}, {"name": "blog"}, {"name": "newsletter"}, {"name": "fastapp"}])
    );
    let subscriber: Value = app
        .post_json("/newsletter/subscribers", &json!({"email": "reader@example.com"}))
        .await
        .assert_status(StatusCode::CREATED)
        .json();
    assert_eq!(subscriber["topic"], "all");
}

#[tokio::test]
async fn booting_blog_brings_accounts_but_not_newsletter() {
    let app = TestApp::builder(&crate::PROJECT).apps(["blog"]).boot().await;
    let tables = tables(&app).await;
    assert!(
        tables.contains(&"posts".into()) && tables.contains(&"users".into()),
        "{tables:?}"
    );
    assert!(!tables.contains(&"subscribers".into()), "{tables:?}");
    assert!(
        !tables.iter().any(|t| t.starts_with("__fastapp_migrations_")),
        "{tables:?}"
    );
    let apps: std::collections::BTreeSet<&str> = app.routes().map(|(app, _)| app).collect();
    assert_eq!(apps, ["accounts", "blog", "fastapp"].into());
    // The document describes the booted apps only.
    let openapi: Value = app.get("/openapi.json").await.json();
    assert!(
        openapi["paths"].get("/blog/posts").is_some()
            && openapi["paths"].get("/newsletter/subscribers").is_none()
    );
    app.get("/newsletter/subscribers")
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn booting_accounts_applies_only_its_shared_migration() {
    let app = TestApp::builder(&crate::PROJECT).apps(["accounts"]).boot().await;
    let tables = tables(&app).await;
    assert!(tables.contains(&"users".into()), "{tables:?}");
    assert!(
        !tables.contains(&"posts".into()),
        "blog's migration is not applied: {tables:?}"
    );
    let versions: Vec<String> = app
        .db(|conn| {
            diesel::sql_query("SELECT version FROM __diesel_schema_migrations ORDER BY version")
                .load::<Version>(conn)
                .map(|rows| rows.into_iter().map(|r| r.version).collect())
        })
        .await;
    assert_eq!(versions, ["20240101000001"]);
}

#[tokio::test]
async fn booting_the_external_app_applies_only_its_own_migrations() {
    let app = TestApp::builder(&crate::PROJECT)
        .apps(["newsletter"])
        .boot()
        .await;
    let tables = tables(&app).await;
    assert!(tables.contains(&"subscribers".into()), "{tables:?}");
    assert!(
        !tables.contains(&"users".into()) && !tables.contains(&"posts".into()),
        "{tables:?}"
    );
    app.get("/newsletter/subscribers").await.assert_ok();
    app.get("/accounts/users")
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn naming_an_app_that_is_not_listed_fails_with_the_rule() {
    let err = TestApp::builder(&crate::PROJECT)
        .apps(["shop"])
        .try_boot()
        .await
        .unwrap_err();
    let finding = &err.findings()[0];
    assert_eq!(finding.id, "app.E025");
    assert!(finding.fix.contains("accounts, blog, newsletter"), "{finding}");
}

#[tokio::test]
async fn a_panicking_test_leaves_no_database_behind() {
    let (sent, received) = std::sync::mpsc::channel();
    let test = tokio::spawn(async move {
        let app = TestApp::boot(&crate::PROJECT).await;
        app.post_json(
            "/accounts/users",
            &json!({"username": "ada", "email": "ada@example.com"}),
        )
        .await
        .assert_status(StatusCode::CREATED);
        sent.send(app.database().url().to_string()).unwrap();
        panic!("this test fails on purpose");
    });
    let err = test.await.unwrap_err();
    assert!(err.is_panic());
    let url = received.recv().unwrap();
    match fastapp_core::db::Backend::of_url(&url) {
        fastapp_core::db::Backend::Sqlite => {
            assert!(!std::path::Path::new(&url).exists(), "{url} was removed");
        }
        fastapp_core::db::Backend::Postgres => {
            let server = std::env::var(fastapp_core::testing::DATABASE_URL_VAR).unwrap();
            let name = url.rsplit('/').next().unwrap().to_string();
            let mut conn = fastapp_core::db::connect(&server).unwrap();
            let left: i64 = diesel::sql_query("SELECT COUNT(*) AS n FROM pg_database WHERE datname = $1")
                .bind::<diesel::sql_types::Text, _>(&name)
                .get_result::<Count>(&mut conn)
                .unwrap()
                .n;
            assert_eq!(left, 0, "database {name} was dropped");
        }
    }
}

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = diesel::sql_types::Text)]
    version: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}
