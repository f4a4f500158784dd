//! A function nested in a function.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

pub fn outer() {
    fn inner() -> Option<newsletter::Subscriber> {
        None
    }
    let _ = inner();
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
