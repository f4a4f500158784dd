//! A generic parameter hides the crate only in its own item.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

pub fn shadowed<newsletter: Default>() -> newsletter {
    newsletter::default()
}

pub fn not_shadowed() {
    let _ = newsletter::register;
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
