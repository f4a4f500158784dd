//! `super::`/`self::` paths to a sibling module named like the app.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

mod newsletter;
mod child;

pub fn f() -> u8 {
    child::g()
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
