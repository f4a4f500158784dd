#[path = "../shop/src/cases/nested_fn_local_module.rs"]
mod apps;

fn main() {
    assert_eq!(apps::nested_fn_local_module::outer(), 9);
}
