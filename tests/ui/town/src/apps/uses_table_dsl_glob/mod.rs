#![allow(dead_code, unused, clippy::all)]
//! A glob of `posts`' dsl: `posts` is `blog`'s.
use crate::core::schema::posts::dsl::*;

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
