//! `{{name}}`: an external fastapp app. It owns its schema module
//! (`schema.rs`) and its migrations (`migrations/`, tracked in
//! `__fastapp_migrations_{{name}}`), and uses only fastapp's public API.

pub mod schema;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use diesel::prelude::*;
use fastapp_core::openapi::ErrorBody;
use fastapp_core::{ApiError, AppContext, AppState, Router};
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};

use schema::{{table}};

/// An item as stored in `{{table}}`.
#[fastapp_core::model(table = {{table}})]
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = {{name}}::Item)] // each app's `Item` its own OpenAPI component
pub struct Item {
    pub id: String,
    pub name: String,
}

/// What `POST /{{name}}/items` takes.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = {{name}}::NewItem)]
pub struct NewItem {
    pub name: String,
}

/// Mounted under `/{{name}}` (from `[package.metadata.fastapp]`); the
/// routes and their OpenAPI description come from the same handlers.
#[fastapp_core::external_app]
pub fn register(ctx: &mut AppContext) -> Option<Router> {
    let (router, api) = OpenApiRouter::new()
        .routes(routes!(list_items, create_item))
        .split_for_parts();
    ctx.document(api);
    Some(router)
}

/// List every item, by name.
#[utoipa::path(
    get,
    path = "/items",
    responses((status = 200, description = "Every item, by name", body = Vec<Item>))
)]
async fn list_items(State(state): State<AppState>) -> Result<Json<Vec<Item>>, ApiError> {
    let items = state
        .db(|conn| {
            {{table}}::table
                .order({{table}}::name)
                .select(Item::as_select())
                .load(conn)
        })
        .await?;
    Ok(Json(items))
}

/// Create an item.
#[utoipa::path(
    post,
    path = "/items",
    request_body = NewItem,
    responses(
        (status = 201, description = "The item as stored", body = Item),
        (status = 422, description = "An empty name", body = ErrorBody),
    )
)]
async fn create_item(
    State(state): State<AppState>,
    Json(new): Json<NewItem>,
) -> Result<(StatusCode, Json<Item>), ApiError> {
    if new.name.trim().is_empty() {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "name must not be empty"));
    }
    let item = Item {
        id: uuid::Uuid::new_v4().to_string(),
        name: new.name,
    };
    let item = state
        .db(move |conn| {
            diesel::insert_into({{table}}::table)
                .values(&item)
                .returning(Item::COLUMNS)
                .get_result(conn)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(item)))
}

#[cfg(test)]
mod tests;
