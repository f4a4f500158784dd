// `crate::apps` for the inside_register case.
#[path = "../apps/inside_register/mod.rs"]
pub mod inside_register;
