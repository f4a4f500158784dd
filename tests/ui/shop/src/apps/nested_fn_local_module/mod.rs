//! A module inside a nested function.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

pub fn outer() -> usize {
    fn inner() -> usize {
        mod newsletter {
            pub fn value() -> usize {
                9
            }
        }
        newsletter::value()
    }
    inner()
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
