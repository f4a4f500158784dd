// `crate::apps` for the const_param case.
#[path = "../apps/const_param/mod.rs"]
pub mod const_param;
