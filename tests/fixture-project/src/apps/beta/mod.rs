//! `GET /items/{item_id}` (the same pattern as alpha's) and `POST /things`.
use axum::routing::{get, post};
use fastapp_core::{AppContext, Router};

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut AppContext) -> Option<Router> {
    Some(
        Router::new()
            .route("/items/{item_id}", get(|| async { "beta" }))
            .route("/things", post(|| async { "beta" })),
    )
}
