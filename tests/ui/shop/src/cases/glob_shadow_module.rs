// `crate::apps` for the glob_shadow_module case.
#[path = "../apps/glob_shadow_module/mod.rs"]
pub mod glob_shadow_module;
