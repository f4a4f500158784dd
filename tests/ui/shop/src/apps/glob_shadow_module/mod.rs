//! A glob import from inside the crate may bind the name: not rejected.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

mod inner {
    pub mod newsletter {
        pub fn v() -> u8 {
            4
        }
    }
}

pub fn f() -> u8 {
    use self::inner::*;
    newsletter::v()
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
