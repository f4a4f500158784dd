//! A glob import from another crate does not hide the external app.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

use std::collections::*;

pub fn f() {
    let _ = newsletter::register;
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
