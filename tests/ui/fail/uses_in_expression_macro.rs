#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/uses_in_expression_macro.rs"]
mod apps;

fn main() {}
