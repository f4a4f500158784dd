#[path = "../shop/src/cases/path_attr_legal.rs"]
mod apps;

fn main() {
    assert_eq!(apps::path_attr_legal::f(), 8);
}
