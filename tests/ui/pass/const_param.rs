#[path = "../shop/src/cases/const_param.rs"]
mod apps;

fn main() {
    assert_eq!(apps::const_param::f::<3>(), 3);
}
