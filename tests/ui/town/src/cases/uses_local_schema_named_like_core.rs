// `crate::apps` for the uses_local_schema_named_like_core case.
#[path = "../apps/accounts/mod.rs"]
pub mod accounts;
#[path = "../apps/blog/mod.rs"]
pub mod blog;
#[path = "../apps/tags/mod.rs"]
pub mod tags;
#[path = "../apps/uses_local_schema_named_like_core/mod.rs"]
pub mod uses_local_schema_named_like_core;
