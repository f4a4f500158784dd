#[path = "../shop/src/cases/const_block.rs"]
mod apps;

fn main() {}
