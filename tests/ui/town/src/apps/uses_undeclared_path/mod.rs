#![allow(dead_code, unused, clippy::all)]
//! `uses = []`, and a path into `accounts`' api.
pub fn f() -> Option<crate::apps::accounts::api::User> {
    None
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
