//! A local module spelled with a raw identifier.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

mod r#newsletter {
    pub fn v() -> u8 {
        1
    }
}

pub fn f() -> u8 {
    r#newsletter::v() + newsletter::v()
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
