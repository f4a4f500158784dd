//! A method and a field path ending in the external app's name.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

pub struct Config {
    pub newsletter: Inner,
}

pub struct Inner;

impl Inner {
    pub fn on(&self) -> bool {
        true
    }
}

pub fn f() -> bool {
    let c = Config { newsletter: Inner };
    c.newsletter.on()
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
