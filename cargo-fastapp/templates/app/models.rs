use serde::{Deserialize, Serialize};

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
