// `crate::apps` for the ext_in_assert_eq case.
#[path = "../apps/accounts/mod.rs"]
pub mod accounts;
#[path = "../apps/blog/mod.rs"]
pub mod blog;
#[path = "../apps/tags/mod.rs"]
pub mod tags;
#[path = "../apps/ext_in_assert_eq/mod.rs"]
pub mod ext_in_assert_eq;
