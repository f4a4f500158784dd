#![allow(dead_code, unused, clippy::all)]
//! Undeclared and private: the private part is said first.
use crate::apps::blog::models::Post;
pub fn f() -> Option<crate::apps::blog::api::Post> {
    None
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
