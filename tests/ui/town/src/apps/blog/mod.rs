//! Posts by users of `accounts`, which it declares.
pub mod api;
mod models;

pub fn latest() -> Option<crate::apps::accounts::api::User> {
    None
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
