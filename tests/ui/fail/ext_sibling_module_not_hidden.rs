#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/ext_sibling_module_not_hidden.rs"]
mod apps;

fn main() {}
