// `crate::apps` for the cfg_test_module_legal case.
#[path = "../apps/cfg_test_module_legal/mod.rs"]
pub mod cfg_test_module_legal;
