#[path = "../shop/src/cases/tests_module.rs"]
mod apps;

fn main() {}
