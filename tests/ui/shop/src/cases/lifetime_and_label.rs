// `crate::apps` for the lifetime_and_label case.
#[path = "../apps/lifetime_and_label/mod.rs"]
pub mod lifetime_and_label;
