// `crate::apps` for the ext_nested case.
#[path = "../apps/ext_nested/mod.rs"]
pub mod ext_nested;
