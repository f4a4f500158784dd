#![allow(dead_code, unused, clippy::all)]
//! Tokens given to a macro the scan does not know may mean anything.
macro_rules! ignore {
    ($($t:tt)*) => {};
}
ignore!(newsletter::anything::at::all);
pub fn f() {
    ignore!(newsletter::register);
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
