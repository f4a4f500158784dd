// `crate::apps` for the uses_undeclared_super case.
#[path = "../apps/accounts/mod.rs"]
pub mod accounts;
#[path = "../apps/blog/mod.rs"]
pub mod blog;
#[path = "../apps/tags/mod.rs"]
pub mod tags;
#[path = "../apps/uses_undeclared_super/mod.rs"]
pub mod uses_undeclared_super;
