#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/uses_table_super_chain.rs"]
mod apps;

fn main() {}
