#[path = "../shop/src/cases/lifetime_and_label.rs"]
mod apps;

fn main() {
    assert_eq!(apps::lifetime_and_label::f("x"), "x");
}
