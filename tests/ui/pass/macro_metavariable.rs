#[path = "../shop/src/cases/macro_metavariable.rs"]
mod apps;

fn main() {
    assert_eq!(apps::macro_metavariable::f(), 8);
}
