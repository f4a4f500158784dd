// `crate::apps` for the cfg_module case.
#[path = "../apps/cfg_module/mod.rs"]
pub mod cfg_module;
