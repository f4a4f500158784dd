// `crate::apps` for the uses_in_closure case.
#[path = "../apps/accounts/mod.rs"]
pub mod accounts;
#[path = "../apps/blog/mod.rs"]
pub mod blog;
#[path = "../apps/tags/mod.rs"]
pub mod tags;
#[path = "../apps/uses_in_closure/mod.rs"]
pub mod uses_in_closure;
