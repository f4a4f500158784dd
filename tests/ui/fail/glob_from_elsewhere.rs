#[path = "../shop/src/cases/glob_from_elsewhere.rs"]
mod apps;

fn main() {}
