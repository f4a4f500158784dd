//! The blog app, in-process with fastapp's test kit. Booting `blog` also
//! boots `accounts`, which its code uses (posts have authors).

use axum::http::StatusCode;
use diesel::prelude::*;
use fastapp_core::testing::TestApp;
use serde_json::{json, Value};

use crate::apps::accounts::api::User;
use crate::core::schema::users;

async fn blog_with_author() -> (TestApp, String) {
    let app = TestApp::builder(&crate::PROJECT).apps(["blog"]).boot().await;
    // A fixture written straight through diesel, not through the accounts API.
    let author = User {
        id: "u-1".into(),
        username: "ada".into(),
        email: "ada@example.com".into(),
    };
    let id = author.id.clone();
    app.db(move |conn| diesel::insert_into(users::table).values(&author).execute(conn))
        .await;
    (app, id)
}

#[tokio::test]
async fn a_post_is_listed_with_its_author() {
    let (app, author_id) = blog_with_author().await;
    let post: Value = app
        .post_json(
            "/blog/posts",
            &json!({"author_id": author_id, "title": "Hello", "body": "First post"}),
        )
        .await
        .assert_status(StatusCode::CREATED)
        .json();
    assert_eq!(post["published"], false);

    let listed: Vec<Value> = app.get("/blog/posts").await.assert_ok().json();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["title"], "Hello");
    assert_eq!(listed[0]["author"], "ada");

    let id = post["id"].as_str().unwrap();
    let one: Value = app.get(&format!("/blog/posts/{id}")).await.assert_ok().json();
    assert_eq!(one, post);
}

#[tokio::test]
async fn an_unknown_author_or_an_empty_title_is_unprocessable() {
    let (app, author_id) = blog_with_author().await;
    app.post_json(
        "/blog/posts",
        &json!({"author_id": "no-such-user", "title": "Orphan", "body": "x"}),
    )
    .await
    .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    app.post_json(
        "/blog/posts",
        &json!({"author_id": author_id, "title": " ", "body": "x"}),
    )
    .await
    .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    app.get("/blog/posts/nope")
        .await
        .assert_status(StatusCode::NOT_FOUND);
}
