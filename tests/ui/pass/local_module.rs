#[path = "../shop/src/cases/local_module.rs"]
mod apps;

fn main() {
    assert_eq!(apps::local_module::f(), 6);
}
