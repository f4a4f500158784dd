// `crate::apps` for the ext_block_shadow_in_macro_argument case.
#[path = "../apps/accounts/mod.rs"]
pub mod accounts;
#[path = "../apps/blog/mod.rs"]
pub mod blog;
#[path = "../apps/tags/mod.rs"]
pub mod tags;
#[path = "../apps/ext_block_shadow_in_macro_argument/mod.rs"]
pub mod ext_block_shadow_in_macro_argument;
