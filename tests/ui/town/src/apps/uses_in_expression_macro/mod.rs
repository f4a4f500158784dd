#![allow(dead_code, unused, clippy::all)]
//! Inside `assert!`'s arguments, which are expressions of this scope.
pub fn f() {
    assert!(!crate::apps::accounts::api::is_admin("x"));
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
