#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/surface_private_use.rs"]
mod apps;

fn main() {}
