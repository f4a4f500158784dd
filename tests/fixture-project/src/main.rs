//! A project that breaks fastapp's rules on purpose: each app below is
//! listed (through FASTAPP_CONFIG) by the test that needs it.

mod apps;
mod core;

fastapp_core::project!();

fn main() -> std::process::ExitCode {
    fastapp_core::cli::main(&PROJECT)
}
