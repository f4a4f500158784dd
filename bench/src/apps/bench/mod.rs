//! The benchmark app: a JSON route without the database, and one reading a
//! row, written the way any fastapp app is (`AppState`, `state.db`).

use axum::extract::{Path, State};
use axum::routing::get;
use axum::Json;
use diesel::prelude::*;
use fastapp_core::{ApiError, AppState, Router};
use serde::Serialize;

use crate::core::schema::items;

/// A row of `items`.
#[derive(Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = items)]
pub struct Item {
    pub id: i32,
    pub name: String,
}

#[derive(Serialize)]
pub struct Message {
    pub message: &'static str,
}

async fn hello() -> Json<Message> {
    Json(Message { message: "hello" })
}

async fn item(State(state): State<AppState>, Path(id): Path<i32>) -> Result<Json<Item>, ApiError> {
    let item = state
        .db(move |conn| items::table.find(id).select(Item::as_select()).first(conn))
        .await?;
    Ok(Json(item))
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<Router> {
    Some(
        Router::new()
            .route("/hello", get(hello))
            .route("/items/{id}", get(item)),
    )
}
