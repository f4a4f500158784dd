// `crate::apps` for the turbofish case.
#[path = "../apps/turbofish/mod.rs"]
pub mod turbofish;
