#[path = "../shop/src/cases/ext_nested.rs"]
mod apps;

fn main() {}
