//! A path in an attribute of cfg'd-out code: rustc never resolves it, so it
//! is legal, and the scan stays silent.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

#[cfg_attr(any(), newsletter::route)]
pub fn f() {}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
