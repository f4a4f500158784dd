// `crate::apps` for the attribute_path case.
#[path = "../apps/attribute_path/mod.rs"]
pub mod attribute_path;
