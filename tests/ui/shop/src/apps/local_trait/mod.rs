//! A local trait named like the external app.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

pub trait newsletter {
    fn issue() -> u8 {
        7
    }
}

impl newsletter for u8 {}

pub fn f() -> u8 {
    <u8 as newsletter>::issue()
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
