// `crate::apps` for the self_include case.
#[path = "../apps/self_include/mod.rs"]
pub mod self_include;
