#[path = "../shop/src/cases/raw_ident_in_macro.rs"]
mod apps;

fn main() {}
