#[path = "../shop/src/cases/leading_colons_beat_local.rs"]
mod apps;

fn main() {}
