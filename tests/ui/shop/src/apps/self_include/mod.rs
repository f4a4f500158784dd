//! A cfg'd-out module whose file is this one: rustc never reads it, and
//! the isolation scan, which reads cfg'd-out modules too, reads it once.
#![allow(dead_code, unused, clippy::all)]

#[cfg(any())]
#[path = "mod.rs"]
mod again;

#[cfg(any())]
#[path = "../self_include/mod.rs"]
mod once_more;

pub fn f() -> u8 {
    2
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
