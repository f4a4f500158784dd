use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use diesel::prelude::*;
use fastapp_core::openapi::ErrorBody;
use fastapp_core::{ApiError, AppState, Ext};

use super::models::{CreateUser, User};
use crate::core::schema::users;
use crate::core::settings::SiteSettings;
use crate::core::{is_blank, Page};

/// Create a user.
#[utoipa::path(
    post,
    path = "/users",
    request_body = CreateUser,
    responses(
        (status = 201, description = "The user as stored", body = User),
        (status = 409, description = "The username is taken (`{\"error\": \"`username` is taken\"}`)", body = ErrorBody),
        (status = 422, description = "A blank username, an email without `@`, or a field the body does not have", body = ErrorBody),
    )
)]
pub async fn create_user(
    State(state): State<AppState>,
    Json(new): Json<CreateUser>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    if is_blank(&new.username) || !new.email.contains('@') {
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

/// List users.
#[utoipa::path(
    get,
    path = "/users",
    params(Page),
    responses((status = 200, description = "One page of users", body = Vec<User>))
)]
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

/// One user by id.
#[utoipa::path(
    get,
    path = "/users/{id}",
    params(("id" = String, Path, description = "The user's id")),
    responses(
        (status = 200, description = "The user", body = User),
        (status = 404, description = "No such user", body = ErrorBody),
    )
)]
pub async fn get_user(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<User>, ApiError> {
    let user = state
        .db(move |conn| users::table.find(id).select(User::as_select()).first(conn))
        .await?;
    Ok(Json(user))
}
