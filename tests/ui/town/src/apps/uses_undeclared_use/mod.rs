#![allow(dead_code, unused, clippy::all)]
//! `uses = []`, and a `use` of `accounts`' api module.
use crate::apps::accounts::api;

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
