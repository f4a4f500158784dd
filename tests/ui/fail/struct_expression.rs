#[path = "../shop/src/cases/struct_expression.rs"]
mod apps;

fn main() {}
