#[path = "../shop/src/cases/cfg_module.rs"]
mod apps;

fn main() {}
