// `crate::apps` for the use_item_named_like_crate case.
#[path = "../apps/use_item_named_like_crate/mod.rs"]
pub mod use_item_named_like_crate;
