//! `extern crate x as y` and a later use of `y`.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

extern crate newsletter as letters;

pub fn f() -> Option<letters::Subscriber> {
    None
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
