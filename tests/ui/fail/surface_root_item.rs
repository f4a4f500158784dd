#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/surface_root_item.rs"]
mod apps;

fn main() {}
