#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/uses_api_glob.rs"]
mod apps;

fn main() {}
