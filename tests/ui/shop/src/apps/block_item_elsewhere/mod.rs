//! A block-local item hides the crate only in its block.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

pub fn f() {
    {
        struct newsletter;
        let _ = newsletter;
    }
    let _ = newsletter::register;
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
