// `crate::apps` for the ext_forms case.
#[path = "../apps/ext_forms/mod.rs"]
pub mod ext_forms;
