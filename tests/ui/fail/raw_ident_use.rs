#[path = "../shop/src/cases/raw_ident_use.rs"]
mod apps;

fn main() {}
