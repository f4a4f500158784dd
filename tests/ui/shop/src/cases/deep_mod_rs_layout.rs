// `crate::apps` for the deep_mod_rs_layout case.
#[path = "../apps/deep_mod_rs_layout/mod.rs"]
pub mod deep_mod_rs_layout;
