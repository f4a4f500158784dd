// `crate::apps` for the uses_declared_table case.
#[path = "../apps/accounts/mod.rs"]
pub mod accounts;
#[path = "../apps/blog/mod.rs"]
pub mod blog;
#[path = "../apps/tags/mod.rs"]
pub mod tags;
#[path = "../apps/uses_declared_table/mod.rs"]
pub mod uses_declared_table;
