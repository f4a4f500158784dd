#[path = "../shop/src/cases/local_trait.rs"]
mod apps;

fn main() {
    assert_eq!(apps::local_trait::f(), 7);
}
