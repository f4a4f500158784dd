#[path = "../shop/src/cases/local_type_alias.rs"]
mod apps;

fn main() {
    assert!(apps::local_type_alias::f() >= 4);
}
