#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/uses_undeclared_use.rs"]
mod apps;

fn main() {}
