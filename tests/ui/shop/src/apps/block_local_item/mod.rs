//! A block-local item named like the external app.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

pub fn f() -> usize {
    struct newsletter;
    impl newsletter {
        fn size() -> usize {
            1
        }
    }
    newsletter::size()
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
