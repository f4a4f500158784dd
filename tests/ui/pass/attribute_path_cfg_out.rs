#[path = "../shop/src/cases/attribute_path.rs"]
mod apps;

fn main() {}
