// `crate::apps` for the strings_and_comments case.
#[path = "../apps/strings_and_comments/mod.rs"]
pub mod strings_and_comments;
