#[path = "../shop/src/cases/own_table_nested.rs"]
mod apps;

fn main() {}
