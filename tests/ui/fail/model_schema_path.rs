#[path = "../oddschema/src/models.rs"]
mod models;

fn main() {}
