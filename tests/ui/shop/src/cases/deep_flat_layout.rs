// `crate::apps` for the deep_flat_layout case.
#[path = "../apps/deep_flat_layout/mod.rs"]
pub mod deep_flat_layout;
