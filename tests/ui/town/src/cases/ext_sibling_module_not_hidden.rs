// `crate::apps` for the ext_sibling_module_not_hidden case.
#[path = "../apps/accounts/mod.rs"]
pub mod accounts;
#[path = "../apps/blog/mod.rs"]
pub mod blog;
#[path = "../apps/tags/mod.rs"]
pub mod tags;
#[path = "../apps/ext_sibling_module_not_hidden/mod.rs"]
pub mod ext_sibling_module_not_hidden;
