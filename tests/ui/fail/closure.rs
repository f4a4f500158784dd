#[path = "../shop/src/cases/closure.rs"]
mod apps;

fn main() {}
