#[path = "../shop/src/cases/use_alias.rs"]
mod apps;

fn main() {}
