// `crate::apps` for the where_clause case.
#[path = "../apps/where_clause/mod.rs"]
pub mod where_clause;
