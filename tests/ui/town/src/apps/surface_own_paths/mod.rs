#![allow(dead_code, unused, clippy::all)]
//! An app's own private modules, by any path.
mod models;
mod handlers;

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
