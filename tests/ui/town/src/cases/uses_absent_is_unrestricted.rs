// `crate::apps` for the uses_absent_is_unrestricted case.
#[path = "../apps/accounts/mod.rs"]
pub mod accounts;
#[path = "../apps/blog/mod.rs"]
pub mod blog;
#[path = "../apps/tags/mod.rs"]
pub mod tags;
#[path = "../apps/uses_absent_is_unrestricted/mod.rs"]
pub mod uses_absent_is_unrestricted;
