#[path = "../shop/src/cases/local_macro_named_like_crate.rs"]
mod apps;

fn main() {
    assert_eq!(apps::local_macro_named_like_crate::f(), 5);
}
