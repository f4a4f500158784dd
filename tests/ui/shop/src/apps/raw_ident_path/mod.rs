//! A path spelled with a raw identifier.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

pub fn f() {
    let _ = r#newsletter::register;
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
