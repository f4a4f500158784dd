// The project's entry point, beside two apps, under a fastapp.toml with an
// unknown key.
fastapp_core::project!();
