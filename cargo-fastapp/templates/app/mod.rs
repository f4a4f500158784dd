//! The `{{name}}` app: its model is in `models.rs` (table `{{table}}` of the
//! shared schema), its routes in `handlers.rs`, mounted under `/{{name}}`.
//! Other apps may use only `api`; the other modules are private to the app.

pub mod api;
mod handlers;
mod models;

use axum::routing::get;
use fastapp_core::{AppContext, Error, Router};

#[fastapp_core::internal_app]
pub fn register(ctx: &mut AppContext) -> Result<Option<Router>, Error> {
    crate::core::settings::provide(ctx)?;
    Ok(Some(Router::new().route(
        "/items",
        get(handlers::list_items).post(handlers::create_item),
    )))
}

#[cfg(test)]
mod tests;
