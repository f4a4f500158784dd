//! The app on its own, in-process on a fresh database per test:
//! `TEST_PROJECT` (written by `#[external_app]`) is a project that lists
//! only this app.

use axum::http::StatusCode;
use fastapp_core::testing::TestApp;
use serde_json::{json, Value};

#[tokio::test]
async fn creates_and_lists_items() {
    let app = TestApp::boot(&crate::TEST_PROJECT).await;
    let item: Value = app
        .post_json("/{{name}}/items", &json!({"name": "first"}))
        .await
        .assert_status(StatusCode::CREATED)
        .json();
    let listed: Vec<Value> = app.get("/{{name}}/items").await.assert_ok().json();
    assert_eq!(listed, [item]);
    app.post_json("/{{name}}/items", &json!({"name": ""}))
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
}
