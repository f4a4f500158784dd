// `crate::apps` for the macro_rules_body case.
#[path = "../apps/macro_rules_body/mod.rs"]
pub mod macro_rules_body;
