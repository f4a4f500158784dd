// `crate::apps` for the surface_own_paths case.
#[path = "../apps/accounts/mod.rs"]
pub mod accounts;
#[path = "../apps/blog/mod.rs"]
pub mod blog;
#[path = "../apps/tags/mod.rs"]
pub mod tags;
#[path = "../apps/surface_own_paths/mod.rs"]
pub mod surface_own_paths;
