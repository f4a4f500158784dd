// `crate::apps` for the path_attr_file case.
#[path = "../apps/path_attr_file/mod.rs"]
pub mod path_attr_file;
