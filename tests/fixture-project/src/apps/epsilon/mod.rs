//! `PUT /items/{item_id}`: another method, but the same path as alpha's
//! `/items/{id}` under other parameter names, which axum cannot route.
use axum::routing::put;
use fastapp_core::{AppContext, Router};

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut AppContext) -> Option<Router> {
    Some(Router::new().route("/items/{item_id}", put(|| async { "epsilon" })))
}
