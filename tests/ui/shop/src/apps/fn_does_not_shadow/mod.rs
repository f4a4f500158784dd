//! A function of the crate's name does not hide it (value namespace).
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

fn newsletter() {}

pub fn f() {
    let _ = newsletter::register;
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
