// `crate::apps` for the use_group_nested case.
#[path = "../apps/use_group_nested/mod.rs"]
pub mod use_group_nested;
