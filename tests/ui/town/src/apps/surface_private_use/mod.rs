#![allow(dead_code, unused, clippy::all)]
//! A `use` into another app's private module.
use crate::apps::accounts::models::User;

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
