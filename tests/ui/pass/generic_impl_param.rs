#[path = "../shop/src/cases/generic_impl_param.rs"]
mod apps;

fn main() {
    assert_eq!(apps::generic_impl_param::Holder(5u8).reset(), 5);
}
