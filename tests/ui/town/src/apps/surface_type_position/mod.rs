#![allow(dead_code, unused, clippy::all)]
//! In a struct field's type.
pub struct Feed {
    pub posts: Vec<crate::apps::blog::models::Post>,
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
