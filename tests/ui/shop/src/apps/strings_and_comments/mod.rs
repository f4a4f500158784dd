//! Strings, docs and comments that mention the external app.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

/// Unlike `newsletter::Subscriber`, this is ours.
#[doc = "newsletter::register is not called here"]
pub fn f() -> &'static str {
    // newsletter::register();
    /* use newsletter::Subscriber; */
    "newsletter::Subscriber"
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
