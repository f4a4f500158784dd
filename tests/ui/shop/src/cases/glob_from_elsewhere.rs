// `crate::apps` for the glob_from_elsewhere case.
#[path = "../apps/glob_from_elsewhere/mod.rs"]
pub mod glob_from_elsewhere;
