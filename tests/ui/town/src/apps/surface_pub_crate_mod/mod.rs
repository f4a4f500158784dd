//! `pub(crate)` is visible to every other app too.
pub(crate) mod models;

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
