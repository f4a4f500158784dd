#[path = "../shop/src/cases/block_local_item.rs"]
mod apps;

fn main() {
    assert_eq!(apps::block_local_item::f(), 1);
}
