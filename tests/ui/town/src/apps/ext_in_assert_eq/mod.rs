#![allow(dead_code, unused, clippy::all)]
//! In `assert_eq!`'s arguments.
pub fn f() {
    assert_eq!(newsletter::register as usize, 0);
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
