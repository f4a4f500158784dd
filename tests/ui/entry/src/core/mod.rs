//! Core mentions the external app only where that is legal: a local module
//! of the same name, strings.
#![allow(dead_code)]

mod newsletter {
    pub const NAME: &str = "newsletter::Subscriber";
}

pub fn name() -> &'static str {
    newsletter::NAME
}
