// `crate::apps` for the local_enum case.
#[path = "../apps/local_enum/mod.rs"]
pub mod local_enum;
