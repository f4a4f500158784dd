#![allow(dead_code, unused, clippy::all)]
//! A table another app owns, declared: recorded as a dependency.
use crate::core::schema::users;
pub fn f() {
    let _ = users::table;
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
