use fastapp_core::{AppContext, Router};

#[fastapp_core::model(table = users)]
pub struct User {
    pub id: String,
    pub username: String,
    pub email: String,
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut AppContext) -> Option<Router> {
    None
}
