// `crate::apps` for the uses_undeclared_use case.
#[path = "../apps/accounts/mod.rs"]
pub mod accounts;
#[path = "../apps/blog/mod.rs"]
pub mod blog;
#[path = "../apps/tags/mod.rs"]
pub mod tags;
#[path = "../apps/uses_undeclared_use/mod.rs"]
pub mod uses_undeclared_use;
