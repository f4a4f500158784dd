#[path = "../shop/src/cases/nested_fn.rs"]
mod apps;

fn main() {}
