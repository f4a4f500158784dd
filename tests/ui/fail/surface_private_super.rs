#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/surface_private_super.rs"]
mod apps;

fn main() {}
