// `crate::apps` for the static_type case.
#[path = "../apps/static_type/mod.rs"]
pub mod static_type;
