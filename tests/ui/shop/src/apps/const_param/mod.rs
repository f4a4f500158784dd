//! A const parameter named like the external app, used as a value.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

pub fn f<const newsletter: usize>() -> usize {
    newsletter
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
