#[path = "../nodep/src/main.rs"]
mod project;

fn main() {}
