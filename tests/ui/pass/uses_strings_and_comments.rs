#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/uses_strings_and_comments.rs"]
mod apps;

fn main() {}
