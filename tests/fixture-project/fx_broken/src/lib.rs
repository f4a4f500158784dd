//! An external app whose second migration fails.
#[fastapp_core::external_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
