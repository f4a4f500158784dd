//! Variables, parameters, fields and methods named like the external app.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

pub struct Settings {
    pub newsletter: bool,
}

impl Settings {
    pub fn newsletter(&self) -> bool {
        self.newsletter
    }
}

pub fn f(newsletter: u8) -> u8 {
    let s = Settings { newsletter: true };
    let newsletter = newsletter + u8::from(s.newsletter());
    newsletter
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
