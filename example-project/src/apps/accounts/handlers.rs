use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use diesel::prelude::*;
use fastapp_core::{ApiError, AppState, Ext};

use super::models::{CreateUser, User};
use crate::core::schema::users;
use crate::core::settings::SiteSettings;
use crate::core::Page;

pub async fn create_user(
    State(state): State<AppState>,
    Json(new): Json<CreateUser>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    if new.username.trim().is_empty() || !new.email.contains('@') {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "username must not be empty and email must contain `@`",
        ));
    }
    let user = new.into_user();
    let user = state
        .db(move |conn| {
            diesel::insert_into(users::table)
                .values(&user)
                .returning(User::COLUMNS)
                .get_result(conn)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(user)))
}

pub async fn list_users(
    State(state): State<AppState>,
    Ext(site): Ext<SiteSettings>,
    Query(page): Query<Page>,
) -> Result<Json<Vec<User>>, ApiError> {
    let (limit, offset) = page.clamped(&site);
    let users = state
        .db(move |conn| {
            users::table
                .order(users::id)
                .limit(limit)
                .offset(offset)
                .select(User::as_select())
                .load(conn)
        })
        .await?;
    Ok(Json(users))
}

pub async fn get_user(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<User>, ApiError> {
    let user = state
        .db(move |conn| users::table.find(id).select(User::as_select()).first(conn))
        .await?;
    Ok(Json(user))
}
