#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/ext_after_diesel_prelude.rs"]
mod apps;

fn main() {}
