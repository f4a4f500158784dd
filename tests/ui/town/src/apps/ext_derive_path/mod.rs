#![allow(dead_code, unused, clippy::all)]
//! A derive path into the external app (not cfg'd out).
#[derive(newsletter::Magic)]
pub struct Thing;

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
