//! Three files deep, non-mod-rs (flat) layout.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

mod level1;

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
