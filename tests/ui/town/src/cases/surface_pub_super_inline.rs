// `crate::apps` for the surface_pub_super_inline case.
#[path = "../apps/accounts/mod.rs"]
pub mod accounts;
#[path = "../apps/blog/mod.rs"]
pub mod blog;
#[path = "../apps/tags/mod.rs"]
pub mod tags;
#[path = "../apps/surface_pub_super_inline/mod.rs"]
pub mod surface_pub_super_inline;
