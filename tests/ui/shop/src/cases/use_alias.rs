// `crate::apps` for the use_alias case.
#[path = "../apps/use_alias/mod.rs"]
pub mod use_alias;
