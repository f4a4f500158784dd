#![allow(dead_code, unused, clippy::all)]
//! Into an app that has no `api` module at all.
pub fn f() -> Option<crate::apps::tags::models::Tag> {
    None
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
