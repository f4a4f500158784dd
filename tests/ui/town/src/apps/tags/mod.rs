//! Tags: no `api` module, so nothing of it is for other apps.
mod models;

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
