// `crate::apps` for the uses_api_glob case.
#[path = "../apps/accounts/mod.rs"]
pub mod accounts;
#[path = "../apps/blog/mod.rs"]
pub mod blog;
#[path = "../apps/tags/mod.rs"]
pub mod tags;
#[path = "../apps/uses_api_glob/mod.rs"]
pub mod uses_api_glob;
