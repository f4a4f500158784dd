//! The type of a `static`.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

pub static NONE: Option<newsletter::Subscriber> = None;

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
