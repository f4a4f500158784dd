// `crate::apps` for the inline_module_deep case.
#[path = "../apps/inline_module_deep/mod.rs"]
pub mod inline_module_deep;
