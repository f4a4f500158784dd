#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/ext_derive_path.rs"]
mod apps;

fn main() {}
