// `crate::apps` for the ext_after_diesel_prelude case.
#[path = "../apps/accounts/mod.rs"]
pub mod accounts;
#[path = "../apps/blog/mod.rs"]
pub mod blog;
#[path = "../apps/tags/mod.rs"]
pub mod tags;
#[path = "../apps/ext_after_diesel_prelude/mod.rs"]
pub mod ext_after_diesel_prelude;
