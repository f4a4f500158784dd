//! Panics while registering (an axum route conflict inside the app).
use axum::routing::get;
use fastapp_core::{AppContext, Router};

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut AppContext) -> Option<Router> {
    Some(
        Router::new()
            .route("/same", get(|| async { "1" }))
            .route("/same", get(|| async { "2" })),
    )
}
