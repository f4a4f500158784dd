// `crate::apps` for the super_and_self_paths case.
#[path = "../apps/super_and_self_paths/mod.rs"]
pub mod super_and_self_paths;
