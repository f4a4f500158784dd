//! A local module named like the external app.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

mod newsletter {
    pub fn count() -> usize {
        3
    }
}

pub fn f() -> usize {
    newsletter::count() + self::newsletter::count()
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
