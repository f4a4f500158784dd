// `crate::apps` for the local_type_alias case.
#[path = "../apps/local_type_alias/mod.rs"]
pub mod local_type_alias;
