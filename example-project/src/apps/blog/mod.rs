//! Blog: posts written by users of the accounts app.

pub mod handlers;
pub mod models;

use axum::routing::get;
use fastapp_core::{AppContext, Router};

#[fastapp_core::internal_app]
pub fn register(ctx: &mut AppContext) -> Result<Option<Router>, fastapp_core::Error> {
    crate::core::settings::provide(ctx)?;
    Ok(Some(
        Router::new()
            .route("/posts", get(handlers::list_posts).post(handlers::create_post))
            .route("/posts/{id}", get(handlers::get_post)),
    ))
}

#[cfg(test)]
mod tests;
