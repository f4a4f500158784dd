// `crate::apps` for the generic_impl_param case.
#[path = "../apps/generic_impl_param/mod.rs"]
pub mod generic_impl_param;
