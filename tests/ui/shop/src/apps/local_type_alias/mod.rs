//! A type alias named like the external app.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

type newsletter = Vec<u8>;

pub fn f() -> usize {
    newsletter::with_capacity(4).capacity()
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
