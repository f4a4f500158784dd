#[path = "../shop/src/cases/inner_module_shadow.rs"]
mod apps;

fn main() {}
