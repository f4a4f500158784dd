// `crate::apps` for the nested_fn_local_module case.
#[path = "../apps/nested_fn_local_module/mod.rs"]
pub mod nested_fn_local_module;
