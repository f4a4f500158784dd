#[path = "../shop/src/cases/use_self_alias.rs"]
mod apps;

fn main() {}
