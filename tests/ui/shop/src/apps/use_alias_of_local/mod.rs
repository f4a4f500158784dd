//! `use <local> as newsletter` hides the crate.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

mod letters {
    pub fn count() -> usize {
        4
    }
}

use letters as newsletter;

pub fn f() -> usize {
    newsletter::count()
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
