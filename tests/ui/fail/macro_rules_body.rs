#[path = "../shop/src/cases/macro_rules_body.rs"]
mod apps;

fn main() {}
