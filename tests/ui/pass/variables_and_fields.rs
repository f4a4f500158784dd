#[path = "../shop/src/cases/variables_and_fields.rs"]
mod apps;

fn main() {
    assert_eq!(apps::variables_and_fields::f(1), 2);
}
