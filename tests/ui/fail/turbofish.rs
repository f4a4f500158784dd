#[path = "../shop/src/cases/turbofish.rs"]
mod apps;

fn main() {}
