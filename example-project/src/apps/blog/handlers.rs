use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use diesel::prelude::*;
use fastapp_core::openapi::ErrorBody;
use fastapp_core::{ApiError, AppState, Ext};

use super::models::{CreatePost, Post, PostWithAuthor};
use crate::apps::accounts::api::User;
use crate::core::schema::{posts, users};
use crate::core::settings::SiteSettings;
use crate::core::{is_blank, Page};

/// Write a post.
///
/// The author must be an existing user of the accounts app.
#[utoipa::path(
    post,
    path = "/posts",
    request_body = CreatePost,
    responses(
        (status = 201, description = "The post as stored", body = Post),
        (status = 422, description = "A blank title, an author that is not a user, or a field the body does not have", body = ErrorBody),
    )
)]
pub async fn create_post(
    State(state): State<AppState>,
    Json(new): Json<CreatePost>,
) -> Result<(StatusCode, Json<Post>), ApiError> {
    if is_blank(&new.title) {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "title must not be empty",
        ));
    }
    // The foreign key to users (accounts app) rejects unknown authors: 422.
    let post = new.into_post();
    let post = state
        .db(move |conn| {
            diesel::insert_into(posts::table)
                .values(&post)
                .returning(Post::COLUMNS)
                .get_result(conn)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(post)))
}

/// List posts with their authors.
#[utoipa::path(
    get,
    path = "/posts",
    params(Page),
    responses((status = 200, description = "One page of posts, oldest first", body = Vec<PostWithAuthor>))
)]
pub async fn list_posts(
    State(state): State<AppState>,
    Ext(site): Ext<SiteSettings>,
    Query(page): Query<Page>,
) -> Result<Json<Vec<PostWithAuthor>>, ApiError> {
    let (limit, offset) = page.clamped(&site);
    let rows = state
        .db(move |conn| {
            posts::table
                .inner_join(users::table)
                .order(posts::id)
                .limit(limit)
                .offset(offset)
                .select((Post::as_select(), User::as_select()))
                .load::<(Post, User)>(conn)
        })
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(|(post, user)| PostWithAuthor {
                post,
                author: user.username,
            })
            .collect(),
    ))
}

/// One post by id.
#[utoipa::path(
    get,
    path = "/posts/{id}",
    params(("id" = String, Path, description = "The post's id")),
    responses(
        (status = 200, description = "The post", body = Post),
        (status = 404, description = "No such post", body = ErrorBody),
    )
)]
pub async fn get_post(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Post>, ApiError> {
    let post = state
        .db(move |conn| posts::table.find(id).select(Post::as_select()).first(conn))
        .await?;
    Ok(Json(post))
}
