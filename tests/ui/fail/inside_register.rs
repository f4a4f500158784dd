#[path = "../shop/src/cases/inside_register.rs"]
mod apps;

fn main() {}
