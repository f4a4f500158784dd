#![allow(dead_code, unused, clippy::all)]
//! Private modules, `pub(self)`, and a public `api`.
pub mod api;
mod handlers;
pub(self) mod models;

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
