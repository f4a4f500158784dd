//! `GET /items/{id}`.
use axum::routing::get;
use fastapp_core::{AppContext, Router};

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut AppContext) -> Option<Router> {
    Some(Router::new().route("/items/{id}", get(|| async { "alpha" })))
}
