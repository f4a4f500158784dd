#![allow(dead_code, unused, clippy::all)]
//! No `[app.<name>]` table: any internal app may be used (check warns).
pub fn f() -> Option<crate::apps::blog::api::Post> {
    None
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
