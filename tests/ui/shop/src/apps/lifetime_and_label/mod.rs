//! A lifetime and a label named like the external app.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

pub fn f<'newsletter>(s: &'newsletter str) -> &'newsletter str {
    'newsletter: loop {
        break 'newsletter;
    }
    s
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
