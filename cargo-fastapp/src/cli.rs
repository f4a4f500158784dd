//! The command line: `cargo fastapp new | app new [--external] | app extract | dev | explain`.
// The arguments' doc comments are their `--help` text, written for a
// terminal (`<name>`), not HTML.
#![allow(rustdoc::invalid_html_tags)]

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "cargo fastapp",
    bin_name = "cargo fastapp",
    version,
    about = "Start a fastapp project, add apps, and run it with automatic rebuilds"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// `-q`: only errors; `-v`: every file written and command run too.
    #[command(flatten)]
    pub verbosity: clap_verbosity_flag::Verbosity<clap_verbosity_flag::InfoLevel>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create a project: core, an empty app list, migrations, tests.
    New(NewArgs),
    /// Work with apps.
    App {
        #[command(subcommand)]
        command: AppCommand,
    },
    /// Watch the project; rebuild, migrate and restart the server on change.
    Dev(DevArgs),
    /// Print a rule's page (why it exists, how to fix it, an example), or
    /// with no id every rule's id and title.
    Explain {
        /// The rule's id, as a diagnostic names it: `route.E016`.
        id: Option<String>,
    },
    /// Print a completion script for a shell (for the `cargo-fastapp` program).
    Completions {
        /// The shell to complete in.
        shell: clap_complete::Shell,
    },
}

#[derive(Subcommand, Debug)]
pub enum AppCommand {
    /// Add an internal app to the project (or, with --external, an app crate).
    New(AppNewArgs),
    /// Turn an internal app into an external app crate of the project's
    /// workspace: same name, prefix and routes; its tables handed over
    /// through a baseline migration that existing databases adopt.
    Extract(AppExtractArgs),
}

#[derive(Args, Debug)]
pub struct NewArgs {
    /// The project's (and its crate's) name: `[a-z][a-z0-9_]*`.
    pub name: String,
    /// Where to create it (default: ./<name>).
    #[arg(long)]
    pub path: Option<PathBuf>,
    /// The database `fastapp.toml` points at.
    #[arg(long, value_enum, default_value_t = Database::Sqlite)]
    pub db: Database,
    /// Depend on fastapp by path (a checkout of fastapp, or its fastapp-core
    /// directory) instead of by version; its Cargo.lock is copied too.
    #[arg(long)]
    pub fastapp_path: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Database {
    /// A SQLite file beside the project (SQLite is bundled: no server needed).
    Sqlite,
    /// A PostgreSQL server (`postgres://localhost/<name>`).
    Postgres,
}

#[derive(Args, Debug)]
pub struct AppNewArgs {
    /// The app's name: `[a-z][a-z0-9_]*`.
    pub name: String,
    /// Make a publishable external app crate instead of an internal app.
    #[arg(long)]
    pub external: bool,
    /// Where to create the external app crate (default: <project>/<name>,
    /// or ./<name> outside a project).
    #[arg(long, requires = "external")]
    pub path: Option<PathBuf>,
    /// For an external app made outside a project: depend on fastapp by path.
    #[arg(long, requires = "external")]
    pub fastapp_path: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct AppExtractArgs {
    /// The internal app (listed as "apps.<name>" in fastapp.toml).
    pub name: String,
    /// Where to create the crate (default: <project>/<name>).
    #[arg(long)]
    pub path: Option<PathBuf>,
    /// Print the plan (files moved, lines rewritten, tables handed over)
    /// and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Args, Debug)]
pub struct DevArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Port to listen on; 0 picks a free one (printed at start).
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
}
