// `crate::apps` for the qualified_self case.
#[path = "../apps/qualified_self/mod.rs"]
pub mod qualified_self;
