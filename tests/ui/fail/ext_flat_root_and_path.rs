// apps/mod.rs declares `pub mod flat;`: the app's root is apps/flat.rs, its
// `mod handlers;` is apps/flat/handlers.rs, which loads extra_dir/extra.rs
// through `#[path]`.
#[path = "../flatshop/src/apps/mod.rs"]
mod apps;

fn main() {}
