#[path = "../shop/src/cases/own_table.rs"]
mod apps;

fn main() {}
