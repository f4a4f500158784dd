// config.E034 for an unknown key in fastapp.toml: one error, not one per
// #[internal_app] and another for project!().
#[path = "../badkey/src/apps/one.rs"]
mod one;
#[path = "../badkey/src/apps/two.rs"]
mod two;
#[path = "../badkey/src/main.rs"]
mod project;

fn main() {}
