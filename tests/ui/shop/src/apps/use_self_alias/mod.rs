//! `use x::{self as y}`.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

use newsletter::{self as letters};

pub fn f() {
    let _ = letters::register;
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
