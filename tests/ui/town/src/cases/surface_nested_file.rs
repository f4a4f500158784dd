// `crate::apps` for the surface_nested_file case.
#[path = "../apps/accounts/mod.rs"]
pub mod accounts;
#[path = "../apps/blog/mod.rs"]
pub mod blog;
#[path = "../apps/tags/mod.rs"]
pub mod tags;
#[path = "../apps/surface_nested_file/mod.rs"]
pub mod surface_nested_file;
