#[path = "../shop/src/cases/static_type.rs"]
mod apps;

fn main() {}
