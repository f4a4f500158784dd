//! Returns `None` after mounting itself, stores an extension, and has hooks.
use std::sync::Arc;

use axum::extract::State;
use axum::routing::get;
use fastapp_core::{ApiError, AppContext, Db, Ext, Router, Settings};

#[derive(Clone)]
struct Greeting(String);

async fn hello(Ext(greeting): Ext<Greeting>) -> String {
    greeting.0
}

/// Reads settings through the `State<Arc<Settings>>` extractor.
async fn page_size(State(settings): State<Arc<Settings>>) -> String {
    settings
        .project
        .get("page_size")
        .map(ToString::to_string)
        .unwrap_or_default()
}

/// Reads settings through the global accessor (fastappkit's `get_settings()`).
async fn global_page_size() -> String {
    fastapp_core::settings::get_settings()
        .and_then(|settings| settings.project.get("page_size"))
        .map(ToString::to_string)
        .unwrap_or_default()
}

/// A request that outlives any drain deadline.
async fn hang() -> &'static str {
    tokio::time::sleep(std::time::Duration::from_secs(600)).await;
    "never"
}

/// Runs diesel through the `Db` extractor (off the async executor).
async fn one(db: Db) -> Result<String, ApiError> {
    let n: i64 = db
        .run(|conn| {
            use diesel::RunQueryDsl;
            diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>("1")).get_result(conn)
        })
        .await?;
    Ok(n.to_string())
}

/// A slow request, to show that shutdown lets it finish.
async fn slow() -> &'static str {
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    "finished"
}

#[fastapp_core::internal_app]
pub fn register(ctx: &mut AppContext) -> Option<Router> {
    ctx.insert(Greeting(format!("hello from {}", ctx.app_name())));
    ctx.nest(
        "/custom",
        Router::new()
            .route("/hello", get(hello))
            .route("/page-size", get(page_size))
            .route("/global-page-size", get(global_page_size))
            .route("/slow", get(slow))
            .route("/hang", get(hang))
            .route("/one", get(one)),
    );
    // Not ready while a file `selfmount-unready` is in the working directory.
    ctx.readiness("marker", |_state| async {
        match std::path::Path::new("selfmount-unready").exists() {
            true => Err("the file selfmount-unready is there".into()),
            false => Ok(()),
        }
    });
    ctx.on_startup(|_| async {
        println!("selfmount: started");
        Ok(())
    });
    ctx.on_shutdown(|_| async {
        println!("selfmount: stopped");
        Ok(())
    });
    None
}
