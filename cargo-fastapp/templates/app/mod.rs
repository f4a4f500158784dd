//! The `{{name}}` app: its model is in `models.rs` (table `{{table}}` of the
//! shared schema), its routes in `handlers.rs`, mounted under `/{{name}}`.
//! Other apps may use only `api`; the other modules are private to the app.

pub mod api;
mod handlers;
mod models;

use fastapp_core::{AppContext, Error, Router};
use utoipa_axum::{router::OpenApiRouter, routes};

#[fastapp_core::internal_app]
pub fn register(ctx: &mut AppContext) -> Result<Option<Router>, Error> {
    crate::core::settings::provide(ctx)?;
    // The routes and their OpenAPI description (/openapi.json, /docs) come
    // from the same handlers.
    let (router, api) = OpenApiRouter::new()
        .routes(routes!(handlers::list_items, handlers::create_item))
        .split_for_parts();
    ctx.document(api);
    Ok(Some(router))
}

#[cfg(test)]
mod tests;
