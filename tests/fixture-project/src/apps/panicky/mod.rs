//! `GET /orders/{id}` panics (a handler's bug); `GET /fine` answers.
use axum::routing::get;
use fastapp_core::{AppContext, Router};

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut AppContext) -> Option<Router> {
    Some(
        Router::new()
            .route(
                "/orders/{id}",
                get(|| async {
                    let orders: Vec<&str> = Vec::new();
                    orders[0].to_string()
                }),
            )
            .route("/fine", get(|| async { "fine" })),
    )
}
