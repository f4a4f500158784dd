//! A path whose later segment is the external app's name.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

mod outer {
    pub mod newsletter {
        pub fn v() -> u8 {
            6
        }
    }
}

pub fn f() -> u8 {
    outer::newsletter::v() + self::outer::newsletter::v() - crate::apps::path_continuing_through_name::outer::newsletter::v()
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
