#[path = "../shop/src/core/mod.rs"]
mod core;
#[path = "../shop/src/models/unknown_table.rs"]
mod models;

fn main() {}
