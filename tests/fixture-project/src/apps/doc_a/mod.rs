//! Documents `GET /items` in OpenAPI, with a component `Item { id }`.
use fastapp_core::{AppContext, Router};
use utoipa_axum::{router::OpenApiRouter, routes};

/// doc_a's item.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Item {
    pub id: i64,
}

/// List doc_a's items.
#[utoipa::path(get, path = "/items", responses((status = 200, description = "Items", body = Vec<Item>)))]
async fn items() -> axum::Json<Vec<Item>> {
    axum::Json(vec![Item { id: 1 }])
}

#[fastapp_core::internal_app]
pub fn register(ctx: &mut AppContext) -> Option<Router> {
    let (router, api) = OpenApiRouter::new().routes(routes!(items)).split_for_parts();
    ctx.document(api);
    Some(router)
}
