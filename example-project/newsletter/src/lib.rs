//! `newsletter`: an external fastapp app. It owns its schema module
//! (`schema.rs`) and its migrations (`migrations/`, tracked in
//! `__fastapp_migrations_newsletter`), and uses only fastapp's public API.

pub mod schema;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use diesel::prelude::*;
use fastapp_core::openapi::ErrorBody;
use fastapp_core::{ApiError, AppContext, AppState, Router};
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};

use schema::subscribers;

/// A subscriber as stored.
#[fastapp_core::model(table = subscribers)]
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Subscriber {
    pub id: String,
    pub email: String,
    pub topic: String,
}

/// What `POST /newsletter/subscribers` takes.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSubscriber {
    /// Holds an `@`.
    #[schema(pattern = "@")]
    pub email: String,
    #[serde(default = "default_topic")]
    pub topic: String,
}

fn default_topic() -> String {
    "all".into()
}

/// Mounted under `/newsletter` (from `[package.metadata.fastapp]`).
#[fastapp_core::external_app]
pub fn register(ctx: &mut AppContext) -> Option<Router> {
    let (router, api) = OpenApiRouter::new()
        .routes(routes!(list, subscribe))
        .split_for_parts();
    ctx.document(api);
    Some(router)
}

/// Subscribe an email address.
#[utoipa::path(
    post,
    path = "/subscribers",
    request_body = NewSubscriber,
    responses(
        (status = 201, description = "The subscriber as stored", body = Subscriber),
        (status = 409, description = "The email is subscribed already (`{\"error\": \"`email` is taken\"}`)", body = ErrorBody),
        (status = 422, description = "An email without `@`, or a field the body does not have", body = ErrorBody),
    )
)]

async fn subscribe(
    State(state): State<AppState>,
    Json(new): Json<NewSubscriber>,
) -> Result<(StatusCode, Json<Subscriber>), ApiError> {
    if !new.email.contains('@') {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "email must contain `@`",
        ));
    }
    let subscriber = Subscriber {
        id: uuid::Uuid::new_v4().to_string(),
        email: new.email,
        topic: new.topic,
    };
    let subscriber = state
        .db(move |conn| {
            diesel::insert_into(subscribers::table)
                .values(&subscriber)
                .returning(Subscriber::COLUMNS)
                .get_result(conn)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(subscriber)))
}

/// Every subscriber.
#[utoipa::path(
    get,
    path = "/subscribers",
    responses((status = 200, description = "All subscribers", body = Vec<Subscriber>))
)]
async fn list(State(state): State<AppState>) -> Result<Json<Vec<Subscriber>>, ApiError> {
    let rows = state
        .db(|conn| {
            subscribers::table
                .order(subscribers::id)
                .select(Subscriber::as_select())
                .load(conn)
        })
        .await?;
    Ok(Json(rows))
}

#[cfg(test)]
mod tests;
