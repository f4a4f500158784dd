// `crate::apps` for the variables_and_fields case.
#[path = "../apps/variables_and_fields/mod.rs"]
pub mod variables_and_fields;
