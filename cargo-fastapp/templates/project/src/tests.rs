//! The project as a whole, booted in-process by fastapp's test kit on a
//! fresh database (each app's own tests are in `src/apps/<app>/tests.rs`).

use axum::http::StatusCode;
use fastapp_core::testing::TestApp;

#[tokio::test]
async fn every_app_boots_on_a_fresh_database() {
    let app = TestApp::boot(&crate::PROJECT).await;
    let tables = app
        .db(|conn| Ok(fastapp_core::migrate::database_tables(conn).expect("list tables")))
        .await;
    assert!(tables.contains(&"__diesel_schema_migrations".to_string()), "{tables:?}");
    app.get("/no-such-route").await.assert_status(StatusCode::NOT_FOUND);
}
