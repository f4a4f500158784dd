#[path = "../shop/src/cases/generic_type_param.rs"]
mod apps;

fn main() {
    assert_eq!(apps::generic_type_param::f::<u8>(), 0);
}
