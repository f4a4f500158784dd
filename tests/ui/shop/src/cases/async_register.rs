// `crate::apps` for the async_register case.
#[path = "../apps/async_register/mod.rs"]
pub mod async_register;
