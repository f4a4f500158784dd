//! Internal apps: one module per app, each registered with
//! `#[fastapp_core::internal_app]` and listed in fastapp.toml as "apps.<name>".
//! `cargo fastapp app new <name>` adds one.
