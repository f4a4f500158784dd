//! A `$crate`-free `macro_rules!` body.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

macro_rules! grab {
    () => {
        newsletter::register
    };
}

pub fn f() {
    let _ = grab!();
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
