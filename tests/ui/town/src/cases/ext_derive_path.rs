// `crate::apps` for the ext_derive_path case.
#[path = "../apps/accounts/mod.rs"]
pub mod accounts;
#[path = "../apps/blog/mod.rs"]
pub mod blog;
#[path = "../apps/tags/mod.rs"]
pub mod tags;
#[path = "../apps/ext_derive_path/mod.rs"]
pub mod ext_derive_path;
