//! A module cfg'd out by a feature: still the app's code.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

#[cfg(feature = "never-enabled")]
mod optional;

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
