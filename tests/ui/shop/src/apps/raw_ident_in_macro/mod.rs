//! A raw identifier inside a macro call.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

pub fn f() -> usize {
    vec![r#newsletter::register].len()
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
