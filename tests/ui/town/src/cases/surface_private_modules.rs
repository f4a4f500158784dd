// `crate::apps` for the surface_private_modules case.
#[path = "../apps/accounts/mod.rs"]
pub mod accounts;
#[path = "../apps/blog/mod.rs"]
pub mod blog;
#[path = "../apps/tags/mod.rs"]
pub mod tags;
#[path = "../apps/surface_private_modules/mod.rs"]
pub mod surface_private_modules;
