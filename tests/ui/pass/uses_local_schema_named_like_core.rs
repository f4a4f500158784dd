#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/uses_local_schema_named_like_core.rs"]
mod apps;

fn main() {}
