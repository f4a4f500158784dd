#[path = "../shop/src/cases/async_register.rs"]
mod apps;

fn main() {}
