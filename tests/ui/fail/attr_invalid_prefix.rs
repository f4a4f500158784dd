#[path = "../shop/src/cases/bad_prefix.rs"]
mod apps;

fn main() {}
