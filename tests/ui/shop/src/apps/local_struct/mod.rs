//! A local struct named like the external app, with associated items.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

pub struct newsletter;

impl newsletter {
    pub const SIZE: usize = 2;
    pub fn new() -> newsletter {
        newsletter
    }
}

pub fn f() -> usize {
    let _ = newsletter::new();
    newsletter::SIZE
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
