//! The project binary's command line (Django's `manage.py`, Loco's
//! `cargo loco`): call [`main`] from the project's `main`.
//!
//! Human output goes to stdout, diagnostics to stderr. With `--json`, the
//! introspection commands (`apps list`, `apps graph`, `routes`, `migrate
//! status`, `migrate preview`, `settings`, `check`) print only JSON on
//! stdout, in the shapes the README documents. Every failing command exits
//! with status 1.

mod activity;
mod connections;
mod explain;
mod json;
mod loaded;
mod makemigrations;
mod migrate;
mod portable;
mod scratch;
mod serve;
mod show;
mod usage;

use clap::{Parser, Subcommand, ValueEnum};
use std::process::ExitCode;

use crate::config::Config;
use crate::loader;
use crate::{Error, Project, Settings};

use fastapp_config::{errln, out, outln};
use json::print_json;
pub(crate) use loaded::Loaded;
use show::GraphFormat;

#[derive(Parser, Debug)]
#[command(about = "A fastapp project: serve it, migrate it, inspect its apps", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// `-q`/`-v` (repeatable): fewer or more log lines on stderr than the
    /// default (`info`; `debug` with the `debug` setting). `RUST_LOG` wins.
    #[command(flatten)]
    verbosity: clap_verbosity_flag::Verbosity<clap_verbosity_flag::InfoLevel>,
}

/// The log level `-q`/`-v` asked for, when given (one command line per process).
static VERBOSITY: std::sync::OnceLock<tracing_subscriber::filter::LevelFilter> = std::sync::OnceLock::new();

#[derive(Subcommand, Debug)]
enum Command {
    /// Apply pending migrations, then serve HTTP (the default command).
    Serve {
        /// Address to bind (default: setting `host`, 127.0.0.1).
        #[arg(long)]
        host: Option<String>,
        /// Port to bind; 0 picks a free one (default: setting `port`, 8000).
        #[arg(long)]
        port: Option<u16>,
        /// Never migrate: refuse to start (migration.E050) while migrations
        /// are pending, for replicas started after one `migrate` release step.
        #[arg(long)]
        no_migrate: bool,
        /// Started by `cargo fastapp dev` on the development database: a
        /// migration a dev server applied and that was edited since is
        /// reverted (with the down.sql it was applied with) and applied again.
        #[arg(long, hide = true, conflicts_with = "no_migrate")]
        dev: bool,
    },
    /// Apply, revert and inspect migrations.
    Migrate(migrate::MigrateArgs),
    /// Print a completion script for a shell, e.g.
    /// `example-project completions bash > ~/.local/share/bash-completion/completions/example-project`.
    Completions {
        /// The shell to complete in.
        shell: clap_complete::Shell,
    },
    /// Create a migration for an internal app with `diesel migration generate --diff-schema`.
    Makemigrations {
        /// The internal app the migration belongs to.
        #[arg(required_unless_present = "check")]
        app: Option<String>,
        /// What the migration does, e.g. `add_post_slug`.
        #[arg(required_unless_present = "check")]
        name: Option<String>,
        /// Create nothing: exit 1 when the shared schema.rs and core's
        /// migrations disagree (migration.E053, e.g. a model change without
        /// its migration), 0 when they agree (a CI guard).
        #[arg(long, conflicts_with_all = ["app", "name"])]
        check: bool,
    },
    /// The apps of the project.
    Apps {
        #[command(subcommand)]
        command: AppsCommand,
    },
    /// Every route: method, path, owning app.
    Routes {
        /// Print only JSON on stdout: [{"method", "path", "app"}].
        #[arg(long)]
        json: bool,
    },
    /// Run every rule; exit 1 on errors (or warnings, with --fail-level warning).
    Check {
        /// Print only JSON on stdout: {"valid", "failed", "errors": [...], "warnings": [...], "silenced": [...]}.
        #[arg(long)]
        json: bool,
        /// The lowest level that makes `check` exit 1.
        #[arg(long, value_enum, default_value_t = Level::Error)]
        fail_level: Level,
        /// Also open the database (writing no table or row): db.E030, and
        /// applied migrations that are gone (migration.E041), edited (E042)
        /// or unfinished (E054), and external apps' pending migrations that
        /// break the ownership guard (E043, E051).
        #[arg(long)]
        database: bool,
        /// Print the page of one rule (why it exists, how to fix it, an
        /// example) instead of checking: `check --explain route.E016`.
        #[arg(long, value_name = "ID", conflicts_with_all = ["fail_level", "database"])]
        explain: Option<String>,
    },
    /// The effective settings, secrets redacted.
    Settings {
        /// Print only JSON on stdout: {"key": value, ...}, typed and nested.
        #[arg(long)]
        json: bool,
    },
    /// The project's OpenAPI 3.1 document, merged from every app's part (JSON on stdout).
    Openapi,
}

#[derive(Subcommand, Debug)]
enum AppsCommand {
    /// The apps in load order.
    /// With `-v`/`--verbose`: also dependencies, migrations and source locations.
    List {
        /// Print only JSON on stdout: [{"name", "kind", "prefix", "depends_on",
        /// "migrations", "crate", "source"}].
        #[arg(long)]
        json: bool,
    },
    /// The app dependency graph.
    Graph {
        /// Output format.
        #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
        format: GraphFormat,
        /// Print only JSON on stdout: {"apps": [{"name", "kind"}], "edges": [{"from", "to"}]}.
        #[arg(long, conflicts_with = "format")]
        json: bool,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Level {
    Warning,
    Error,
}

/// Runs the project's command line and returns its exit code.
///
/// In a project, `fastapp_core::project!()` defines `PROJECT` from
/// `fastapp.toml`; here it is written out by hand:
///
/// ```no_run
/// static PROJECT: fastapp_core::Project = fastapp_core::Project {
///     crate_name: "demo", version: "0.1.0",
///     config_file: "fastapp.toml",
///     config: "apps = []",
///     source_root: ".",
///    
///     migrations: &[],
///     external_apps: &[],
///     diesel_except_tables: &[],
/// };
///
/// fn main() -> std::process::ExitCode {
///     fastapp_core::cli::main(&PROJECT)
/// }
/// ```
pub fn main(project: &'static Project) -> ExitCode {
    let cli = match parse(command(project)) {
        Ok(cli) => cli,
        // --help and --version succeed (printed on stdout).
        Err(err) if !err.use_stderr() => {
            let _ = err.print();
            return ExitCode::SUCCESS;
        }
        // A usage error fails like any other, as a finding.
        Err(err) => {
            errln!("error: {}", usage::finding(&err, &command(project), &arguments()));
            return ExitCode::FAILURE;
        }
    };
    match run(project, cli) {
        // Output lost to a full disk is a failure, whatever the command did.
        Ok(_) if fastapp_config::out::lost() => ExitCode::FAILURE,
        Ok(code) => code,
        Err(err) => {
            errln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The command line, named for the program: `--version` prints its name,
/// the project's version and fastapp's (`demo 0.1.0 (fastapp 0.1.0)`).
fn command(project: &Project) -> clap::Command {
    use clap::CommandFactory;
    // clap keeps both as `&'static str`; they are made once per process.
    let leak = |text: String| -> &'static str { Box::leak(text.into_boxed_str()) };
    let version = format!("{} (fastapp {})", project.version, env!("CARGO_PKG_VERSION"));
    Cli::command().name(leak(program_name())).version(leak(version))
}

fn parse(command: clap::Command) -> Result<Cli, clap::Error> {
    use clap::FromArgMatches;
    Cli::from_arg_matches(&command.try_get_matches()?)
}

/// Prints `shell`'s completion script for this program (clap_complete).
fn completions(shell: clap_complete::Shell) {
    use clap::CommandFactory;
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), program_name(), &mut script);
    out!("{}", String::from_utf8_lossy(&script));
}

/// Whether log lines on stderr get colours: only on a terminal, and not
/// when `NO_COLOR` is set to anything but the empty string (no-color.org).
fn colours(no_color: Option<std::ffi::OsString>, terminal: bool) -> bool {
    terminal && no_color.is_none_or(|value| value.is_empty())
}

/// The program's file name (lossy: an argument need not be UTF-8).
fn program_name() -> String {
    std::env::args_os().next().map_or_else(
        || "the program".to_string(),
        |arg0| {
            let path = std::path::Path::new(&arg0);
            path.file_name()
                .unwrap_or(path.as_os_str())
                .to_string_lossy()
                .into_owned()
        },
    )
}

/// The arguments after the program's name (lossy: an argument need not be
/// UTF-8).
fn arguments() -> Vec<String> {
    std::env::args_os()
        .skip(1)
        .map(|arg| arg.to_string_lossy().into_owned())
        .collect()
}

/// `command line: <program> <arguments>`, a location for argument errors
/// (arguments that are not UTF-8 shown lossily, never a panic).
fn command_line() -> String {
    format!("command line: {} {}", program_name(), arguments().join(" "))
}

/// `fastapp.toml` as baked in, or the file `FASTAPP_CONFIG` names (a
/// deployment or test that lists a subset of the linked apps).
fn config(project: &Project) -> Result<Config, Error> {
    match std::env::var("FASTAPP_CONFIG") {
        Ok(path) if !path.is_empty() => {
            let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
                context: format!("cannot read FASTAPP_CONFIG={path}"),
                source,
            })?;
            Config::parse(&path, &text).map_err(Error::from)
        }
        _ => Config::parse(project.config_file, project.config).map_err(Error::from),
    }
}

fn load(project: &'static Project) -> Result<Loaded, Error> {
    let config = config(project)?;
    let settings = Settings::load(&config)?;
    init_tracing(&settings);
    let resolved = loader::resolve(project, &config)?;
    tracing::debug!(
        apps = %resolved.apps.iter().map(|app| app.entry.name).collect::<Vec<_>>().join(","),
        "resolved the apps, in load order"
    );
    let mut warnings = resolved.warnings.clone();
    crate::check::silence(&config, &mut warnings);
    for warning in &warnings {
        tracing::warn!("{warning}");
    }
    Ok(Loaded {
        project,
        config,
        settings,
        resolved,
    })
}

fn run(project: &'static Project, cli: Cli) -> Result<ExitCode, Error> {
    use clap_verbosity_flag::VerbosityFilter::{Debug, Trace};
    let verbose = matches!(cli.verbosity.filter(), Debug | Trace);
    if cli.verbosity.is_present() {
        let _ = VERBOSITY.set(cli.verbosity.tracing_level_filter());
    }
    let command = cli.command.unwrap_or(Command::Serve {
        host: None,
        port: None,
        no_migrate: false,
        dev: false,
    });
    // What runs before the project is loaded: `check` reports a broken
    // configuration as findings rather than failing on it.
    match command {
        Command::Check {
            json,
            explain: Some(id),
            ..
        } => explain::explain(&id, json).map_err(Error::from),
        Command::Check {
            json,
            fail_level,
            database,
            explain: None,
        } => {
            let level = match fail_level {
                Level::Warning => crate::check::FailLevel::Warning,
                Level::Error => crate::check::FailLevel::Error,
            };
            Ok(check(project, json, level, database))
        }
        Command::Completions { shell } => {
            completions(shell);
            Ok(ExitCode::SUCCESS)
        }
        command => run_loaded(project, command, verbose).map(|()| ExitCode::SUCCESS),
    }
}

/// The commands that need the project loaded (configuration, settings, apps).
fn run_loaded(project: &'static Project, command: Command, verbose: bool) -> Result<(), Error> {
    let loaded = load(project)?;
    if !matches!(command, Command::Serve { .. }) {
        // `serve` installs them after applying --host/--port.
        crate::settings::install(loaded.settings.clone());
    }
    match command {
        Command::Serve {
            host,
            port,
            no_migrate,
            dev,
        } => serve::serve(loaded, host, port, no_migrate, dev),
        Command::Migrate(args) => migrate::run(&loaded, args).map_err(|e| e.or_location(&command_line())),
        Command::Makemigrations { check: true, .. } => makemigrations::schema_check(&loaded),
        Command::Makemigrations { app, name, .. } => makemigrations::makemigrations(
            &loaded,
            app.as_deref().unwrap_or_default(),
            name.as_deref().unwrap_or_default(),
        )
        .map_err(|e| e.or_location(&command_line())),
        Command::Apps {
            command: AppsCommand::List { json },
        } => {
            show::apps(&loaded, verbose, json);
            Ok(())
        }
        Command::Apps {
            command: AppsCommand::Graph { format, json },
        } => show::graph(&loaded, format, json),
        Command::Routes { json } => show::routes(&loaded, json),
        Command::Settings { json } => {
            show::settings(&loaded, json);
            Ok(())
        }
        Command::Openapi => show::openapi(&loaded),
        Command::Check { .. } | Command::Completions { .. } => unreachable!("run before loading"),
    }
}

fn check(project: &'static Project, json: bool, level: crate::check::FailLevel, database: bool) -> ExitCode {
    let report = match config(project) {
        Ok(config) => match Settings::load(&config) {
            Ok(settings) => {
                crate::settings::install(settings.clone());
                let mut report = crate::check::run(project, &config, &settings);
                if database {
                    report
                        .errors
                        .extend(crate::check::database(project, &config, &settings));
                    report.valid = report.errors.is_empty();
                }
                report
            }
            Err(err) => crate::check::Report::failed(err.findings()),
        },
        Err(err) => crate::check::Report::failed(err.findings()),
    };
    if json {
        let mut value = serde_json::to_value(&report).expect("a report serialises");
        value["failed"] = report.fails_at(level).into();
        print_json(&value);
    } else {
        for error in &report.errors {
            errln!("error: {error}");
        }
        for warning in &report.warnings {
            errln!("warning: {warning}");
        }
        let silenced = match report.silenced.len() {
            0 => String::new(),
            n => format!(", {n} silenced"),
        };
        outln!(
            "{}: {} error(s), {} warning(s){silenced}",
            if report.fails_at(level) { "failed" } else { "ok" },
            report.errors.len(),
            report.warnings.len()
        );
    }
    if !report.fails_at(level) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn init_tracing(settings: &Settings) {
    let default = match VERBOSITY.get() {
        Some(level) => level.to_string().to_lowercase(),
        None if settings.debug => "debug".into(),
        None => "info".into(),
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(|| fastapp_config::out::Stderr)
        // Colours only for a terminal: piped logs stay plain text.
        .with_ansi(colours(
            std::env::var_os("NO_COLOR"),
            std::io::IsTerminal::is_terminal(&std::io::stderr()),
        ))
        .try_init();
}

#[cfg(test)]
mod tests {
    #[test]
    fn colours_only_on_a_terminal_and_without_no_color() {
        assert!(super::colours(None, true));
        assert!(super::colours(Some("".into()), true));
        assert!(!super::colours(Some("1".into()), true));
        assert!(!super::colours(None, false));
    }
}
