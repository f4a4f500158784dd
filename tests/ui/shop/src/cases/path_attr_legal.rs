// `crate::apps` for the path_attr_legal case.
#[path = "../apps/path_attr_legal/mod.rs"]
pub mod path_attr_legal;
