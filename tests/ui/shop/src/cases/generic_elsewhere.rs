// `crate::apps` for the generic_elsewhere case.
#[path = "../apps/generic_elsewhere/mod.rs"]
pub mod generic_elsewhere;
