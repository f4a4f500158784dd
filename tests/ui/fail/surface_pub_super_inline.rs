#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/surface_pub_super_inline.rs"]
mod apps;

fn main() {}
