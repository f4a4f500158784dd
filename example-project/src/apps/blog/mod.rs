//! Blog: posts written by users of the accounts app.

pub mod api;
mod handlers;
mod models;

use fastapp_core::{AppContext, Router};
use utoipa_axum::{router::OpenApiRouter, routes};

#[fastapp_core::internal_app]
pub fn register(ctx: &mut AppContext) -> Result<Option<Router>, fastapp_core::Error> {
    crate::core::settings::provide(ctx)?;
    // The router and its OpenAPI description come from the same handlers.
    let (router, api) = OpenApiRouter::new()
        .routes(routes!(handlers::list_posts, handlers::create_post))
        .routes(routes!(handlers::get_post))
        .split_for_parts();
    ctx.document(api);
    Ok(Some(router))
}

#[cfg(test)]
mod tests;
