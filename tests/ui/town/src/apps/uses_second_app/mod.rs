#![allow(dead_code, unused, clippy::all)]
//! Declares `accounts` but also uses `blog`.
pub fn f() -> (Option<crate::apps::accounts::api::User>, Option<crate::apps::blog::api::Post>) {
    (None, None)
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
