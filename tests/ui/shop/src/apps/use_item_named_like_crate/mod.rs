//! `use std::...::X as newsletter` binds a local name.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

use std::collections::BTreeMap as newsletter;

pub fn f() -> usize {
    newsletter::<u8, u8>::new().len()
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
