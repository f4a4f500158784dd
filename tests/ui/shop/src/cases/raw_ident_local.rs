// `crate::apps` for the raw_ident_local case.
#[path = "../apps/raw_ident_local/mod.rs"]
pub mod raw_ident_local;
