#![allow(dead_code, unused, clippy::all)]
//! In a closure's body.
pub fn f() -> impl Fn(&str) -> bool {
    |name| crate::apps::accounts::api::is_admin(name)
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
