// `crate::apps` for the uses_declared_unused case.
#[path = "../apps/accounts/mod.rs"]
pub mod accounts;
#[path = "../apps/blog/mod.rs"]
pub mod blog;
#[path = "../apps/tags/mod.rs"]
pub mod tags;
#[path = "../apps/uses_declared_unused/mod.rs"]
pub mod uses_declared_unused;
