#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/surface_own_paths.rs"]
mod apps;

fn main() {}
