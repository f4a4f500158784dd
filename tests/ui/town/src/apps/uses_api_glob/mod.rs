#![allow(dead_code, unused, clippy::all)]
//! A glob of another app's api.
use crate::apps::blog::api::*;
pub fn f() -> Option<Post> {
    None
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
