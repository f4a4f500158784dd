//! A struct expression.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

pub fn f() {
    let _ = newsletter::NewSubscriber {
        email: String::new(),
        topic: String::new(),
    };
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
