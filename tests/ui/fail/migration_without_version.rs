#[path = "../badmig/src/main.rs"]
mod project;

fn main() {}
