//! A generic type parameter named like the external app (the sample).
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

pub fn f<newsletter: Default>() -> newsletter {
    newsletter::default()
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
