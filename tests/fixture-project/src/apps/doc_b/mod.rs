//! Documents `GET /` and `GET /items` in OpenAPI, with its own component
//! `Item { name }`: the same name as doc_a's, defined differently.
use fastapp_core::{AppContext, Router};
use utoipa_axum::{router::OpenApiRouter, routes};

/// doc_b's item.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Item {
    pub name: String,
}

/// List doc_b's items.
#[utoipa::path(get, path = "/items", tag = "catalogue", responses((status = 200, description = "Items", body = Vec<Item>)))]
async fn items() -> axum::Json<Vec<Item>> {
    axum::Json(vec![Item { name: "b".into() }])
}

/// doc_b's index.
#[utoipa::path(get, path = "/", responses((status = 200, description = "Hello")))]
async fn index() -> &'static str {
    "doc_b"
}

#[fastapp_core::internal_app]
pub fn register(ctx: &mut AppContext) -> Option<Router> {
    let (router, api) = OpenApiRouter::new()
        .routes(routes!(items))
        .routes(routes!(index))
        .split_for_parts();
    ctx.document(api);
    Some(router)
}
