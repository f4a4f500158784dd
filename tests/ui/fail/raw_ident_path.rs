#[path = "../shop/src/cases/raw_ident_path.rs"]
mod apps;

fn main() {}
