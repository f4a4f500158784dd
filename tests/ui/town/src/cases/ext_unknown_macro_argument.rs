// `crate::apps` for the ext_unknown_macro_argument case.
#[path = "../apps/accounts/mod.rs"]
pub mod accounts;
#[path = "../apps/blog/mod.rs"]
pub mod blog;
#[path = "../apps/tags/mod.rs"]
pub mod tags;
#[path = "../apps/ext_unknown_macro_argument/mod.rs"]
pub mod ext_unknown_macro_argument;
