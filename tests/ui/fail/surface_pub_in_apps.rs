#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/surface_pub_in_apps.rs"]
mod apps;

fn main() {}
