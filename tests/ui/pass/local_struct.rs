#[path = "../shop/src/cases/local_struct.rs"]
mod apps;

fn main() {
    assert_eq!(apps::local_struct::f(), 2);
}
