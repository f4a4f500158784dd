// `crate::apps` for the generic_type_param case.
#[path = "../apps/generic_type_param/mod.rs"]
pub mod generic_type_param;
