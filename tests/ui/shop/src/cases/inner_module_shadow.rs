// `crate::apps` for the inner_module_shadow case.
#[path = "../apps/inner_module_shadow/mod.rs"]
pub mod inner_module_shadow;
