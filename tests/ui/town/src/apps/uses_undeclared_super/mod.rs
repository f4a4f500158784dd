#![allow(dead_code, unused, clippy::all)]
//! `uses = []`, and a `super::` path into `accounts`.
pub fn f() -> bool {
    super::accounts::api::is_admin("x")
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
