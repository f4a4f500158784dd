#![allow(dead_code, unused, clippy::all)]
//! Another app's root item that is not in its `api` (rustc allows it: fastapp does not).
pub fn f() {
    let _ = crate::apps::accounts::register;
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
