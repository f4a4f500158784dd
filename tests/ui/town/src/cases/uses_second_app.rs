// `crate::apps` for the uses_second_app case.
#[path = "../apps/accounts/mod.rs"]
pub mod accounts;
#[path = "../apps/blog/mod.rs"]
pub mod blog;
#[path = "../apps/tags/mod.rs"]
pub mod tags;
#[path = "../apps/uses_second_app/mod.rs"]
pub mod uses_second_app;
