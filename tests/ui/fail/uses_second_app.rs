#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/uses_second_app.rs"]
mod apps;

fn main() {}
