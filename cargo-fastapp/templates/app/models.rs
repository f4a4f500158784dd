use serde::{Deserialize, Serialize};

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
