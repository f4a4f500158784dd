#[path = "../shop/src/cases/impl_header.rs"]
mod apps;

fn main() {}
