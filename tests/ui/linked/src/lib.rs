// A link package whose Cargo.toml lacks one of the listed apps.
fastapp_core::link!();
