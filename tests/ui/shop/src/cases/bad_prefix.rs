// `crate::apps` for the bad_prefix case.
#[path = "../apps/bad_prefix/mod.rs"]
pub mod bad_prefix;
