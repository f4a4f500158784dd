//! A `table!` of the app's own, in a nested file.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

mod tables;

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
