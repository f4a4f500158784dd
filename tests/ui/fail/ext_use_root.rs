#[path = "../shop/src/cases/ext_use_root.rs"]
mod apps;

fn main() {}
