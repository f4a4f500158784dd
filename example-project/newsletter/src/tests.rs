//! The newsletter app on its own, in-process on a fresh database per test:
//! `TEST_PROJECT` (written by `#[external_app]`) lists only this app.

use axum::http::StatusCode;
use fastapp_core::testing::TestApp;
use serde_json::{json, Value};

#[tokio::test]
async fn subscribes_and_lists_with_its_own_migrations_only() {
    let app = TestApp::boot(&crate::TEST_PROJECT).await;
    let subscriber: Value = app
        .post_json(
            "/newsletter/subscribers",
            &json!({"email": "reader@example.com", "topic": "rust"}),
        )
        .await
        .assert_status(StatusCode::CREATED)
        .json();
    assert_eq!(subscriber["topic"], "rust");
    let listed: Vec<Value> = app.get("/newsletter/subscribers").await.assert_ok().json();
    assert_eq!(listed, [subscriber]);
    app.post_json("/newsletter/subscribers", &json!({"email": "no-at-sign"}))
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);

    let tables = app
        .db(|conn| Ok(fastapp_core::migrate::database_tables(conn).expect("list tables")))
        .await;
    assert!(
        tables.contains(&"__fastapp_migrations_newsletter".to_string()),
        "{tables:?}"
    );
    assert!(!tables.contains(&"users".to_string()), "{tables:?}");
}
