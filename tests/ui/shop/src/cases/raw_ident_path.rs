// `crate::apps` for the raw_ident_path case.
#[path = "../apps/raw_ident_path/mod.rs"]
pub mod raw_ident_path;
