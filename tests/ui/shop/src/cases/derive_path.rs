// `crate::apps` for the derive_path case.
#[path = "../apps/derive_path/mod.rs"]
pub mod derive_path;
