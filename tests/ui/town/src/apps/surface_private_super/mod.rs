#![allow(dead_code, unused, clippy::all)]
//! An expression path into another app's private module.
pub fn f() -> bool {
    super::accounts::models::is_admin("x")
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
