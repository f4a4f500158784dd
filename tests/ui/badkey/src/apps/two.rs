#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
