//! Links the external apps listed in fastapp.toml into the `{{name}}` binary.
fastapp_core::link!();
