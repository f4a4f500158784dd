#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/model_relative_elsewhere.rs"]
mod apps;

fn main() {}
