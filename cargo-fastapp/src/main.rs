//! `cargo fastapp`: start a project, add apps, and iterate with automatic
//! rebuilds. Installed as `cargo-fastapp`, so cargo runs it as
//! `cargo fastapp …` (`cargo install --path cargo-fastapp`).
//!
//! Every command checks everything before its first write: bad input is a
//! finding (rule id, what, where, fix), exit status 1, and no file created
//! or changed.

mod app;
mod cli;
#[cfg(unix)]
mod dev;
mod edit;
mod error;
mod extract;
mod migration;
mod new;
mod plan;
mod project;
mod say;
mod template;

use std::process::ExitCode;

use clap::Parser;

use error::{io_error, Result};

fn main() -> ExitCode {
    // `cargo fastapp new x` runs `cargo-fastapp fastapp new x`.
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|arg| arg == "fastapp") {
        args.remove(1);
    }
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    say::set(&cli.verbosity);
    let result = match cli.command {
        cli::Command::New(args) => new::run(&args),
        cli::Command::App {
            command: cli::AppCommand::New(args),
        } => app::run(&args),
        cli::Command::App {
            command: cli::AppCommand::Extract(args),
        } => extract::run(&args),
        cli::Command::Explain { id } => explain(id.as_deref()),
        cli::Command::Completions { shell } => {
            completions(shell);
            Ok(())
        }
        #[cfg(unix)]
        cli::Command::Dev(args) => dev::run(&args),
        #[cfg(not(unix))]
        cli::Command::Dev(_) => Err(fastapp_config::Finding::new(
            "scaffold.E068",
            "`cargo fastapp dev` hands its socket to each server as a file descriptor, which needs a Unix system",
            "run `cargo run` (and restart it by hand), or use `cargo fastapp dev` under WSL, Linux or macOS",
        )),
    };
    match result {
        // Output lost to a full disk is a failure, whatever the command did.
        Ok(()) if fastapp_config::out::lost() => ExitCode::FAILURE,
        Ok(()) => ExitCode::SUCCESS,
        Err(finding) => {
            fastapp_config::errln!("error: {finding}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo fastapp explain [id]`: a rule's page, or the list of rules.
fn explain(id: Option<&str>) -> Result<()> {
    let text = match id {
        Some(id) => fastapp_config::rules::explain(id)?,
        None => fastapp_config::rules::list(),
    };
    fastapp_config::out!("{text}");
    Ok(())
}

/// Prints `shell`'s completion script for `cargo-fastapp` (clap_complete).
fn completions(shell: clap_complete::Shell) {
    use clap::CommandFactory;
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cli::Cli::command(), "cargo-fastapp", &mut script);
    fastapp_config::out!("{}", String::from_utf8_lossy(&script));
}
