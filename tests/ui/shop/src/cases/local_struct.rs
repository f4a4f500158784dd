// `crate::apps` for the local_struct case.
#[path = "../apps/local_struct/mod.rs"]
pub mod local_struct;
