// `crate::apps` for the nested_fn case.
#[path = "../apps/nested_fn/mod.rs"]
pub mod nested_fn;
