// `crate::apps` for the local_trait case.
#[path = "../apps/local_trait/mod.rs"]
pub mod local_trait;
