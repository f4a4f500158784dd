//! An external app whose migration alters a core table.
#[fastapp_core::external_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
