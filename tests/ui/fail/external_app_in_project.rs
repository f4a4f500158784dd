#[path = "../entry/src/main.rs"]
mod project;

fn main() {}
