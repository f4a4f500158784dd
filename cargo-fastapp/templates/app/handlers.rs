use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use diesel::prelude::*;
use fastapp_core::openapi::ErrorBody;
use fastapp_core::{ApiError, AppState, Ext};

use super::models::{Item, NewItem};
use crate::core::schema::{{table}};
use crate::core::settings::ProjectSettings;

/// List items: the first `page_size` of them, by name.
#[utoipa::path(
    get,
    path = "/items",
    responses((status = 200, description = "The first `page_size` items, by name", body = Vec<Item>))
)]
pub async fn list_items(
    State(state): State<AppState>,
    Ext(settings): Ext<ProjectSettings>,
) -> Result<Json<Vec<Item>>, ApiError> {
    let items = state
        .db(move |conn| {
            {{table}}::table
                .order({{table}}::name)
                .limit(settings.page_size)
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
pub async fn create_item(
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
