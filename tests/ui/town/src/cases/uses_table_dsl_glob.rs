// `crate::apps` for the uses_table_dsl_glob case.
#[path = "../apps/accounts/mod.rs"]
pub mod accounts;
#[path = "../apps/blog/mod.rs"]
pub mod blog;
#[path = "../apps/tags/mod.rs"]
pub mod tags;
#[path = "../apps/uses_table_dsl_glob/mod.rs"]
pub mod uses_table_dsl_glob;
