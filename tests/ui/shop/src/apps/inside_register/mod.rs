//! Inside the annotated function itself: the error is spanned on the offending path.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    let _ = newsletter::register;
    None
}
