#[path = "../shop/src/cases/qualified_self.rs"]
mod apps;

fn main() {}
