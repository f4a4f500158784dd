#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/uses_in_test_module.rs"]
mod apps;

fn main() {}
