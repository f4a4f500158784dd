//! `{{name}}`: an external fastapp app. It owns its schema module
//! (`schema.rs`) and its migrations (`migrations/`, tracked in
//! `__fastapp_migrations_{{name}}`), and uses only fastapp's public API.

pub mod schema;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Json;
use diesel::prelude::*;
use fastapp_core::{ApiError, AppContext, AppState, Router};
use serde::{Deserialize, Serialize};

use schema::{{table}};

/// An item as stored in `{{table}}`.
#[fastapp_core::model(table = {{table}})]
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub id: String,
    pub name: String,
}

/// What `POST /{{name}}/items` takes.
#[derive(Debug, Deserialize)]
pub struct NewItem {
    pub name: String,
}

/// Mounted under `/{{name}}` (from `[package.metadata.fastapp]`).
#[fastapp_core::external_app]
pub fn register(_ctx: &mut AppContext) -> Option<Router> {
    Some(Router::new().route("/items", get(list_items).post(create_item)))
}

/// `GET /{{name}}/items`: every item, by name.
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

/// `POST /{{name}}/items` with `{"name": "..."}`: 201 and the stored item.
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
