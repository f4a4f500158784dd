#[path = "../shop/src/cases/fn_does_not_shadow.rs"]
mod apps;

fn main() {}
