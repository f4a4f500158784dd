#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/uses_declared_unused.rs"]
mod apps;

fn main() {}
