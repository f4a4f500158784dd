#[path = "../shop/src/cases/raw_ident_local.rs"]
mod apps;

fn main() {
    assert_eq!(apps::raw_ident_local::f(), 2);
}
