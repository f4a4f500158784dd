#[path = "../shop/src/cases/inline_module_deep.rs"]
mod apps;

fn main() {}
