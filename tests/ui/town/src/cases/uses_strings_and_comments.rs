// `crate::apps` for the uses_strings_and_comments case.
#[path = "../apps/accounts/mod.rs"]
pub mod accounts;
#[path = "../apps/blog/mod.rs"]
pub mod blog;
#[path = "../apps/tags/mod.rs"]
pub mod tags;
#[path = "../apps/uses_strings_and_comments/mod.rs"]
pub mod uses_strings_and_comments;
