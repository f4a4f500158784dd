#[path = "../shop/src/cases/extern_crate_alias.rs"]
mod apps;

fn main() {}
