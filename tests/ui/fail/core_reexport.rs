#[path = "../leaky/src/main.rs"]
mod project;

fn main() {}
