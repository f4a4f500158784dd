#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/ext_macro_rules_definition.rs"]
mod apps;

fn main() {}
