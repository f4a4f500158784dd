#![allow(dead_code, unused, clippy::all)]
//! A `use` of a table another app's model owns.
use crate::core::schema::users;

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
