//! A nested `use` group.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

use {std::fmt, newsletter::{schema::subscribers, Subscriber}};

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
