#[path = "../shop/src/cases/trait_object.rs"]
mod apps;

fn main() {}
