#[path = "../shop/src/cases/generic_elsewhere.rs"]
mod apps;

fn main() {}
