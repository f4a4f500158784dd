// `crate::apps` for the struct_expression case.
#[path = "../apps/struct_expression/mod.rs"]
pub mod struct_expression;
