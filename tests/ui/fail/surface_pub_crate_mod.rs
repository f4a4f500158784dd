#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/surface_pub_crate_mod.rs"]
mod apps;

fn main() {}
