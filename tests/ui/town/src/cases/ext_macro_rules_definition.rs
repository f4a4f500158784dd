// `crate::apps` for the ext_macro_rules_definition case.
#[path = "../apps/accounts/mod.rs"]
pub mod accounts;
#[path = "../apps/blog/mod.rs"]
pub mod blog;
#[path = "../apps/tags/mod.rs"]
pub mod tags;
#[path = "../apps/ext_macro_rules_definition/mod.rs"]
pub mod ext_macro_rules_definition;
