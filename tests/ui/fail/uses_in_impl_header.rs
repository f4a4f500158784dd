#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/uses_in_impl_header.rs"]
mod apps;

fn main() {}
