// `crate::apps` for the impl_header case.
#[path = "../apps/impl_header/mod.rs"]
pub mod impl_header;
