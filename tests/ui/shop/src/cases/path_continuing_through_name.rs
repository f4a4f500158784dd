// `crate::apps` for the path_continuing_through_name case.
#[path = "../apps/path_continuing_through_name/mod.rs"]
pub mod path_continuing_through_name;
