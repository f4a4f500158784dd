//! A macro metavariable named like the external app.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

macro_rules! double {
    ($newsletter:expr) => {
        $newsletter * 2
    };
}

pub fn f() -> u8 {
    double!(4)
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
