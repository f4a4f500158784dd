#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/uses_undeclared_and_private.rs"]
mod apps;

fn main() {}
