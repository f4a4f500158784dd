#![allow(dead_code, unused, clippy::all)]
//! A macro call in one module hides nothing in another.
macro_rules! nothing {
    () => {};
}
mod a {
    nothing!();
}
mod b {
    pub fn f() {
        let _ = newsletter::register;
    }
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
