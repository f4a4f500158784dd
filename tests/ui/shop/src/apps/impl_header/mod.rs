//! An `impl` header.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

pub struct Wrapper;

impl From<newsletter::Subscriber> for Wrapper {
    fn from(_: newsletter::Subscriber) -> Wrapper {
        Wrapper
    }
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
