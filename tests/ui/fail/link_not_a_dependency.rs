#[path = "../linked/src/lib.rs"]
mod link;

fn main() {}
