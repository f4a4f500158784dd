#[path = "../shop/src/cases/glob_shadow_module.rs"]
mod apps;

fn main() {
    assert_eq!(apps::glob_shadow_module::f(), 4);
}
