use fastapp_core::{AppContext, Router};

#[fastapp_core::internal_app]
pub async fn register(_ctx: &mut AppContext) -> Option<Router> {
    None
}
