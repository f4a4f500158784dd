#[path = "../shop/src/cases/derive_path.rs"]
mod apps;

fn main() {}
