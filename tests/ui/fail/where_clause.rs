#[path = "../shop/src/cases/where_clause.rs"]
mod apps;

fn main() {}
