#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/surface_no_api.rs"]
mod apps;

fn main() {}
