//! Accounts: users who write posts.

pub mod handlers;
pub mod models;

use axum::routing::get;
use fastapp_core::{AppContext, Router};

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut AppContext) -> Option<Router> {
    Some(
        Router::new()
            .route("/users", get(handlers::list_users).post(handlers::create_user))
            .route("/users/{id}", get(handlers::get_user)),
    )
}
