// `crate::apps` for the raw_ident_in_macro case.
#[path = "../apps/raw_ident_in_macro/mod.rs"]
pub mod raw_ident_in_macro;
