#[path = "../shop/src/cases/use_alias_of_local.rs"]
mod apps;

fn main() {
    assert_eq!(apps::use_alias_of_local::f(), 4);
}
