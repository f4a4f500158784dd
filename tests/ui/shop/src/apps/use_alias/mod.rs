//! `use x as y` and later uses of `y`.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

use newsletter as letters;

pub fn f() -> Option<letters::Subscriber> {
    let _ = letters::register;
    None
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
