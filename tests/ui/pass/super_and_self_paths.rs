#[path = "../shop/src/cases/super_and_self_paths.rs"]
mod apps;

fn main() {
    assert_eq!(apps::super_and_self_paths::f(), 4);
}
