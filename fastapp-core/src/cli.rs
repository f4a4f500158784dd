//! The project binary's command line (Django's `manage.py`): call
//! [`main`] from the project's `main`.

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::loader::{self, ResolvedApp};
use crate::registry::AppKind;
use crate::{db, migrate, AppState, Error, Project, Settings};

#[derive(Parser, Debug)]
#[command(about = "A fastapp project", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Apply pending migrations, then serve HTTP (the default command).
    Serve {
        /// Address to bind (default: settings `host`, 127.0.0.1).
        #[arg(long)]
        host: Option<String>,
        /// Port to bind; 0 picks a free one (default: settings `port`, 8000).
        #[arg(long)]
        port: Option<u16>,
    },
    /// Apply pending migrations: core first, then external apps in config order.
    Migrate,
    /// List the apps in load order.
    Apps,
}

/// Runs the project's command line and returns its exit code.
///
/// In a project, `fastapp_core::project!()` defines `PROJECT` from
/// `fastapp.toml`; here it is written out by hand:
///
/// ```no_run
/// static PROJECT: fastapp_core::Project = fastapp_core::Project {
///     package: "demo",
///     crate_name: "demo",
///     config_file: "fastapp.toml",
///     config: "apps = []",
///     source_root: ".",
///     migrations_dir: "migrations",
///     migrations: &[],
///     external_apps: &[],
/// };
///
/// fn main() -> std::process::ExitCode {
///     fastapp_core::cli::main(&PROJECT)
/// }
/// ```
pub fn main(project: &'static Project) -> ExitCode {
    let cli = Cli::parse();
    match run(project, cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn run(project: &'static Project, cli: Cli) -> Result<(), Error> {
    let config = Config::parse(project.config_file, project.config)?;
    let settings = Settings::load(&config.settings)?;
    init_tracing(&settings);
    let apps = loader::resolve(project, &config)?;
    match cli.command.unwrap_or(Command::Serve {
        host: None,
        port: None,
    }) {
        Command::Serve { host, port } => {
            let mut settings = settings;
            if let Some(host) = host {
                settings.host = host;
            }
            if let Some(port) = port {
                settings.port = port;
            }
            migrate_database(project, &apps, &settings)?;
            serve(&apps, settings)
        }
        Command::Migrate => {
            let done = migrate_database(project, &apps, &settings)?;
            if done.is_empty() {
                println!("no pending migrations");
            }
            for (app, name) in done {
                println!("applied {app} {name}");
            }
            Ok(())
        }
        Command::Apps => {
            for app in &apps {
                let kind = match app.entry.kind {
                    AppKind::Internal => "internal",
                    AppKind::External => "external",
                };
                let prefix = if app.prefix.is_empty() { "/" } else { &app.prefix };
                println!("{}\t{kind}\t{prefix}\t{}", app.entry.name, app.entry.location);
            }
            Ok(())
        }
    }
}

fn init_tracing(settings: &Settings) {
    let default = if settings.debug { "debug" } else { "info" };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Applies pending migrations of core and every external app, holding an
/// exclusive lock file beside the SQLite database while it runs.
fn migrate_database(
    project: &Project,
    apps: &[ResolvedApp],
    settings: &Settings,
) -> Result<Vec<(String, &'static str)>, Error> {
    let sets = loader::migration_sets(project, apps)?;
    let _lock = lock_beside(&settings.database_url)?;
    let mut conn = db::connect(&settings.database_url)?;
    migrate::run_all(&mut conn, &sets)
}

/// An OS lock on `<database>.migrate.lock`, released when dropped; none for
/// in-memory databases.
fn lock_beside(url: &str) -> Result<Option<std::fs::File>, Error> {
    let path = url.strip_prefix("sqlite://").unwrap_or(url);
    if path == ":memory:" || path.starts_with("file:") {
        return Ok(None);
    }
    let lock_path = format!("{path}.migrate.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|source| Error::Io {
            context: format!("cannot create the migration lock {lock_path}"),
            source,
        })?;
    file.lock().map_err(|source| Error::Io {
        context: format!("cannot lock {lock_path}"),
        source,
    })?;
    Ok(Some(file))
}

fn serve(apps: &[ResolvedApp], settings: Settings) -> Result<(), Error> {
    let settings = crate::settings::install(settings).clone();
    let pool = db::pool(&settings.database_url)?;
    let addr = format!("{}:{}", settings.host, settings.port);
    let state = AppState::new(settings, pool);
    let router = loader::mount(apps, &state)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|source| Error::Io {
            context: "cannot start the async runtime".into(),
            source,
        })?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&addr)
            .await
            .map_err(|source| Error::Io {
                context: format!("cannot listen on {addr} (is another server using the port? pass --port)"),
                source,
            })?;
        let local: SocketAddr = listener.local_addr().map_err(|source| Error::Io {
            context: "cannot read the bound address".into(),
            source,
        })?;
        println!("fastapp: listening on http://{local}");
        let _ = std::io::stdout().flush();
        axum::serve(listener, router)
            .with_graceful_shutdown(shutdown_signal())
            .await
            .map_err(|source| Error::Io {
                context: "server error".into(),
                source,
            })
    })
}

/// Resolves on SIGINT or SIGTERM; in-flight requests then finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
