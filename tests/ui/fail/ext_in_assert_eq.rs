#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/ext_in_assert_eq.rs"]
mod apps;

fn main() {}
