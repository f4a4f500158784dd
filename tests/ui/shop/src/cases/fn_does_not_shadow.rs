// `crate::apps` for the fn_does_not_shadow case.
#[path = "../apps/fn_does_not_shadow/mod.rs"]
pub mod fn_does_not_shadow;
