// `crate::apps` for the use_alias_of_local case.
#[path = "../apps/use_alias_of_local/mod.rs"]
pub mod use_alias_of_local;
