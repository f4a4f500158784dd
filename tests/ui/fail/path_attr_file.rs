#[path = "../shop/src/cases/path_attr_file.rs"]
mod apps;

fn main() {}
