//! The benchmark project, served through fastapp: `bench/run` starts it
//! with `serve` and loads `/bench/hello` and `/bench/items/{id}`.

mod apps;
mod core;

fastapp_core::project!();

fn main() -> std::process::ExitCode {
    fastapp_core::cli::main(&PROJECT)
}
