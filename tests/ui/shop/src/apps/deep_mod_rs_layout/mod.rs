//! Several files deep, mod.rs layout, all legal.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

mod a;

pub fn f() -> u8 {
    a::b::c()
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
