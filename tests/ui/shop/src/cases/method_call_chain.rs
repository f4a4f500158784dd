// `crate::apps` for the method_call_chain case.
#[path = "../apps/method_call_chain/mod.rs"]
pub mod method_call_chain;
