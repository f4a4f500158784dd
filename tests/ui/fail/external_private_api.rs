#[path = "../extapp/src/lib.rs"]
mod extapp;

fn main() {}
