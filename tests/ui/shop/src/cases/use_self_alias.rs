// `crate::apps` for the use_self_alias case.
#[path = "../apps/use_self_alias/mod.rs"]
pub mod use_self_alias;
