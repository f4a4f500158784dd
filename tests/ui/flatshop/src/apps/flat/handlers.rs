#[path = "extra_dir/extra.rs"]
mod extra;

pub use extra::first;
