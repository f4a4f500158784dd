#![allow(dead_code, unused, clippy::all)]
//! In an impl header.
pub struct Me;
impl From<crate::apps::accounts::api::User> for Me {
    fn from(_: crate::apps::accounts::api::User) -> Me {
        Me
    }
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
