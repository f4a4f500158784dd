// `crate::apps` for the local_module case.
#[path = "../apps/local_module/mod.rs"]
pub mod local_module;
