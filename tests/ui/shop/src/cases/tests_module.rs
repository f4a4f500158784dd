// `crate::apps` for the tests_module case.
#[path = "../apps/tests_module/mod.rs"]
pub mod tests_module;
