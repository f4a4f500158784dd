// `crate::apps` for the macro_metavariable case.
#[path = "../apps/macro_metavariable/mod.rs"]
pub mod macro_metavariable;
