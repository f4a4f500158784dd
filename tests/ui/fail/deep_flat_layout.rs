#[path = "../shop/src/cases/deep_flat_layout.rs"]
mod apps;

fn main() {}
