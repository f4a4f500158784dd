#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/uses_in_closure.rs"]
mod apps;

fn main() {}
