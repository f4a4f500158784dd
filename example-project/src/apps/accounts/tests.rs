//! The accounts app, in-process, on a fresh database per test (fastapp's
//! test kit). Only this app and what it uses are booted and migrated.

use axum::http::StatusCode;
use diesel::prelude::*;
use fastapp_core::testing::TestApp;
use serde_json::{json, Value};

use crate::core::schema::users;

async fn accounts() -> TestApp {
    TestApp::builder(&crate::PROJECT).apps(["accounts"]).boot().await
}

#[tokio::test]
async fn creates_lists_and_gets_a_user() {
    let app = accounts().await;
    let user: Value = app
        .post_json(
            "/accounts/users",
            &json!({"username": "ada", "email": "ada@example.com"}),
        )
        .await
        .assert_status(StatusCode::CREATED)
        .json();
    assert_eq!(user["username"], "ada");
    let id = user["id"].as_str().unwrap();

    let listed: Vec<Value> = app.get("/accounts/users").await.assert_ok().json();
    assert_eq!(listed, std::slice::from_ref(&user));
    let one: Value = app.get(&format!("/accounts/users/{id}")).await.assert_ok().json();
    assert_eq!(one, user);

    // The row is really in this test's database.
    let stored: Vec<String> = app.db(|conn| users::table.select(users::email).load(conn)).await;
    assert_eq!(stored, ["ada@example.com"]);
}

#[tokio::test]
async fn a_duplicate_username_is_a_conflict_and_bad_input_is_unprocessable() {
    let app = accounts().await;
    let ada = json!({"username": "ada", "email": "ada@example.com"});
    app.post_json("/accounts/users", &ada)
        .await
        .assert_status(StatusCode::CREATED);
    let again = app
        .post_json("/accounts/users", &ada)
        .await
        .assert_status(StatusCode::CONFLICT);
    assert!(again.json::<Value>()["error"].is_string(), "{}", again.text());
    app.post_json("/accounts/users", &json!({"username": "", "email": "nobody"}))
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    app.get("/accounts/users/no-such-id")
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_page_size_setting_can_be_overridden_per_test() {
    let app = TestApp::builder(&crate::PROJECT)
        .apps(["accounts"])
        .setting("page_size", 1)
        .boot()
        .await;
    assert_eq!(app.settings().project["page_size"].as_integer(), Some(1));
    for name in ["ada", "bob"] {
        app.post_json(
            "/accounts/users",
            &json!({"username": name, "email": format!("{name}@example.com")}),
        )
        .await
        .assert_status(StatusCode::CREATED);
    }
    let page: Vec<Value> = app.get("/accounts/users").await.assert_ok().json();
    assert_eq!(page.len(), 1, "page_size = 1 from the override");
    let both: Vec<Value> = app.get("/accounts/users?limit=2").await.assert_ok().json();
    assert_eq!(both.len(), 2);
}
