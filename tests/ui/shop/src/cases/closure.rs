// `crate::apps` for the closure case.
#[path = "../apps/closure/mod.rs"]
pub mod closure;
