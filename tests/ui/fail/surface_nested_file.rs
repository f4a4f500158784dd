#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/surface_nested_file.rs"]
mod apps;

fn main() {}
