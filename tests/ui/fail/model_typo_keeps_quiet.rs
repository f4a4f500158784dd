#[path = "../shop/src/core/mod.rs"]
mod core;
#[path = "../shop/src/models/typo_table.rs"]
mod models;

fn main() {}
