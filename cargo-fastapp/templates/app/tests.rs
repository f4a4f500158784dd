//! The `{{name}}` app, in-process on a fresh database per test: only this
//! app (and the internal apps it uses) is booted and migrated.

use axum::http::StatusCode;
use fastapp_core::testing::TestApp;
use serde_json::{json, Value};

#[tokio::test]
async fn creates_and_lists_items() {
    let app = TestApp::builder(&crate::PROJECT).apps(["{{name}}"]).boot().await;
    let empty: Vec<Value> = app.get("/{{name}}/items").await.assert_ok().json();
    assert!(empty.is_empty());

    let item: Value = app
        .post_json("/{{name}}/items", &json!({"name": "first"}))
        .await
        .assert_status(StatusCode::CREATED)
        .json();
    assert_eq!(item["name"], "first");

    let listed: Vec<Value> = app.get("/{{name}}/items").await.assert_ok().json();
    assert_eq!(listed, [item]);
}

#[tokio::test]
async fn an_empty_name_is_unprocessable() {
    let app = TestApp::builder(&crate::PROJECT).apps(["{{name}}"]).boot().await;
    app.post_json("/{{name}}/items", &json!({"name": " "}))
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
}
