#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/ext_block_shadow_in_macro_argument.rs"]
mod apps;

fn main() {
    assert_eq!(apps::ext_block_shadow_in_macro_argument::f(), [1]);
}
