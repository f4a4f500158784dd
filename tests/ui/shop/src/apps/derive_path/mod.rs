//! A derive path.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

#[cfg_attr(any(), derive(newsletter::Magic))]
pub struct Thing;

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
