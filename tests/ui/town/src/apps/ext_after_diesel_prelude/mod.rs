#![allow(dead_code, unused, clippy::all)]
//! diesel's prelude binds no lower-case module: the crate is still named.
use diesel::prelude::*;
pub fn f() {
    let _ = newsletter::register;
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
