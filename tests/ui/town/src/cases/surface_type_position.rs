// `crate::apps` for the surface_type_position case.
#[path = "../apps/accounts/mod.rs"]
pub mod accounts;
#[path = "../apps/blog/mod.rs"]
pub mod blog;
#[path = "../apps/tags/mod.rs"]
pub mod tags;
#[path = "../apps/surface_type_position/mod.rs"]
pub mod surface_type_position;
