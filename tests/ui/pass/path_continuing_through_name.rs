#[path = "../shop/src/cases/path_continuing_through_name.rs"]
mod apps;

fn main() {
    assert_eq!(apps::path_continuing_through_name::f(), 6);
}
