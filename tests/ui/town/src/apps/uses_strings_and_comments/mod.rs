#![allow(dead_code, unused, clippy::all)]
//! Mentions in strings and comments: crate::apps::accounts::models::User.
pub fn f() -> &'static str {
    // crate::apps::blog::models::Post
    "crate::apps::accounts::models::User and crate::core::schema::users"
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
