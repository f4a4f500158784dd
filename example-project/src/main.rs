//! The fastapp example project: `accounts` and `blog` are internal apps
//! (posts reference users across apps), `newsletter` is an external app crate.
//!
//! Run it with `cargo run -p example-project` (SQLite file `example.db`;
//! set `DATABASE_URL` to use another), then e.g.
//! `curl -X POST localhost:8000/accounts/users -H 'content-type: application/json'
//! -d '{"username":"ada","email":"ada@example.com"}'`.

mod apps;
mod core;
#[cfg(test)]
mod tests;

fastapp_core::project!();

fn main() -> std::process::ExitCode {
    fastapp_core::cli::main(&PROJECT)
}
