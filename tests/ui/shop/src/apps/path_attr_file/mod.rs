//! A module file loaded with `#[path]`.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

#[path = "elsewhere/renamed.rs"]
mod renamed;

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
