// `crate::apps` for the own_table_nested case.
#[path = "../apps/own_table_nested/mod.rs"]
pub mod own_table_nested;
