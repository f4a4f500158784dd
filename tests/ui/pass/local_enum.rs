#[path = "../shop/src/cases/local_enum.rs"]
mod apps;

fn main() {
    assert!(apps::local_enum::f());
}
