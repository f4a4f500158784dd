// `crate::apps` for the uses_local_module_named_like_app case.
#[path = "../apps/accounts/mod.rs"]
pub mod accounts;
#[path = "../apps/blog/mod.rs"]
pub mod blog;
#[path = "../apps/tags/mod.rs"]
pub mod tags;
#[path = "../apps/uses_local_module_named_like_app/mod.rs"]
pub mod uses_local_module_named_like_app;
