#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/ext_unknown_macro_argument.rs"]
mod apps;

fn main() {}
