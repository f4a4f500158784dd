#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/surface_type_position.rs"]
mod apps;

fn main() {}
