//! Claims the `things` table.
use fastapp_core::{AppContext, Router};

#[fastapp_core::model(table = things)]
pub struct Thing {
    pub id: i32,
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut AppContext) -> Option<Router> {
    None
}
