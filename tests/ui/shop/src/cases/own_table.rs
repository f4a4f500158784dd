// `crate::apps` for the own_table case.
#[path = "../apps/own_table/mod.rs"]
pub mod own_table;
