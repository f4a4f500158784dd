#[path = "../shop/src/cases/use_group_nested.rs"]
mod apps;

fn main() {}
