//! A local enum named like the external app.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

pub enum newsletter {
    Weekly,
}

pub fn f() -> bool {
    matches!(newsletter::Weekly, newsletter::Weekly)
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
