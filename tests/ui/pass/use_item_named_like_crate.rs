#[path = "../shop/src/cases/use_item_named_like_crate.rs"]
mod apps;

fn main() {
    assert_eq!(apps::use_item_named_like_crate::f(), 0);
}
