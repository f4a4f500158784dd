#[path = "../shop/src/core/mod.rs"]
mod core;
#[path = "../shop/src/models/outside_schema.rs"]
mod models;

fn main() {}
