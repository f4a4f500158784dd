//! A module named like the crate hides it only inside its parent.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

mod inner {
    pub mod newsletter {}
}

pub fn f() {
    let _ = newsletter::register;
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
