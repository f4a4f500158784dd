//! Inline modules, several levels deep.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

mod a {
    mod b {
        mod c {
            pub fn f() {
                let _ = newsletter::register;
            }
        }
    }
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
