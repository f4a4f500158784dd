// `crate::apps` for the local_macro_named_like_crate case.
#[path = "../apps/local_macro_named_like_crate/mod.rs"]
pub mod local_macro_named_like_crate;
