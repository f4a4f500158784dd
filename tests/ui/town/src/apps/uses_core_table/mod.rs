#![allow(dead_code, unused, clippy::all)]
//! `notes` has no model: it is core's, free to every app.
use crate::core::schema::notes;
pub fn f() {
    let _ = notes::table;
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
