#[path = "../shop/src/cases/block_item_elsewhere.rs"]
mod apps;

fn main() {}
