//! The `{{name}}` project: `cargo run` serves it (migrating first),
//! `cargo run -- --help` lists the other commands (migrate, check, routes, …).

mod apps;
mod core;
#[cfg(test)]
mod tests;

fastapp_core::project!();

fn main() -> std::process::ExitCode {
    fastapp_core::cli::main(&PROJECT)
}
