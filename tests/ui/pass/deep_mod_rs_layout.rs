#[path = "../shop/src/cases/deep_mod_rs_layout.rs"]
mod apps;

fn main() {
    assert_eq!(apps::deep_mod_rs_layout::f(), 3);
}
