//! Users, with an `api` other apps may use.
pub mod api;
mod models;

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
