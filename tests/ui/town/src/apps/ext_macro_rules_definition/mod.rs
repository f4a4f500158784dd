#![allow(dead_code, unused, clippy::all)]
//! A `macro_rules!` body is checked by rustc where it expands; never
//! expanded, it names nothing.
macro_rules! unused {
    () => {
        newsletter::register
    };
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
