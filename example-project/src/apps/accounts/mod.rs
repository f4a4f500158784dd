//! Accounts: users who write posts.

pub mod handlers;
pub mod models;

use axum::routing::get;
use fastapp_core::{AppContext, Router};

#[fastapp_core::internal_app]
pub fn register(ctx: &mut AppContext) -> Result<Option<Router>, fastapp_core::Error> {
    crate::core::settings::provide(ctx)?;
    Ok(Some(
        Router::new()
            .route("/users", get(handlers::list_users).post(handlers::create_user))
            .route("/users/{id}", get(handlers::get_user)),
    ))
}

#[cfg(test)]
mod tests;
