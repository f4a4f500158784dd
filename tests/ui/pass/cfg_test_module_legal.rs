#[path = "../shop/src/cases/cfg_test_module_legal.rs"]
mod apps;

fn main() {
    assert_eq!(apps::cfg_test_module_legal::f(), 1);
}
