//! A `#[path]` module that is legal.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

#[path = "other/place.rs"]
mod place;

pub fn f() -> u8 {
    place::v()
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
