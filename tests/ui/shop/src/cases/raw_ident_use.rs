// `crate::apps` for the raw_ident_use case.
#[path = "../apps/raw_ident_use/mod.rs"]
pub mod raw_ident_use;
