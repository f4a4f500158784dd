//! `serve`: register and mount every app, bind, migrate, run start-up
//! hooks, serve until SIGINT/SIGTERM, let in-flight requests finish, run
//! shutdown hooks.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use super::loaded::Loaded;
use crate::migrate::startup;
use crate::{db, loader, Error, Finding, Settings};

pub(super) fn serve(
    loaded: Loaded,
    host: Option<String>,
    port: Option<u16>,
    no_migrate: bool,
    dev: bool,
) -> Result<(), Error> {
    // First, while no other thread runs: listenfd removes LISTEN_FDS from
    // the environment, and the pool's and runtime's threads read it.
    let inherited = inherited_listener()?;
    let mut settings = loaded.settings.clone();
    if let Some(host) = host {
        settings.host = host;
    }
    if let Some(port) = port {
        settings.port = port;
    }
    // Mount, then bind, then migrate: a register error, a route collision
    // or a taken port leaves the database as it was.
    let settings = Arc::new(crate::settings::install(settings).clone());
    // A handler's panic is answered and logged as one line, not printed.
    crate::panics::install_hook();
    let pool = db::pool_for(&settings);
    let mounted = loader::mount(loaded.project, &loaded.resolved.apps, settings.clone(), pool)?;
    // The route list is for people (`routes`, `check`); serving does not
    // read it (see `loader::mount`).
    let listener = match inherited {
        Some(listener) => listener,
        None => bind(&format!("{}:{}", settings.host, settings.port))?,
    };
    migrate_before_serving(&loaded, &settings, &mounted, no_migrate, dev)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|source| Error::Io {
            context: "cannot start the async runtime".into(),
            source,
        })?;
    let served = runtime.block_on(serve_until_stopped(mounted, listener, &settings, dev));
    // Blocking database work cut off by the drain deadline must not hold
    // the process either.
    runtime.shutdown_timeout(Duration::from_millis(500));
    served
}

/// Applies the pending migrations (with `--no-migrate`, refuses to start
/// while any is pending), then tells readiness and the metrics what this
/// build expects.
fn migrate_before_serving(
    loaded: &Loaded,
    settings: &Settings,
    mounted: &loader::Mounted,
    no_migrate: bool,
    dev: bool,
) -> Result<(), Error> {
    let sets = loader::migration_sets(loaded.project, &loaded.config, &loaded.resolved.apps)?;
    if no_migrate {
        startup::require_applied(&settings.database_url, &sets)?;
    } else {
        startup::apply_all(&settings.database_url, &sets, startup::Waits::of(settings), dev)?;
    }
    warn_drift(loaded);
    if let Some(metrics) = mounted.metrics() {
        let applied = db::connect(&settings.database_url)
            .and_then(|mut conn| crate::migrate::status(&mut conn, &sets))
            .map(|statuses| statuses.iter().map(|s| s.applied.len()).sum());
        metrics.set_migrations_applied(applied.unwrap_or_default());
    }
    // Readiness fails again if one of this build's migrations goes missing
    // (a `migrate revert` under a running replica).
    mounted.readiness().expect_migrations(sets);
    Ok(())
}

/// Runs the start-up hooks, serves until a signal, drains, and runs the
/// shutdown hooks.
async fn serve_until_stopped(
    mut mounted: loader::Mounted,
    listener: std::net::TcpListener,
    settings: &Settings,
    dev: bool,
) -> Result<(), Error> {
    // `serve --dev` has no balancer to wait for: the hand-over is at once.
    let drain_delay = if dev {
        Duration::ZERO
    } else {
        Duration::from_secs(settings.drain_delay)
    };
    let drain = Duration::from_secs(settings.shutdown_timeout);
    let readiness = mounted.readiness().clone();
    mounted.start().await?;
    let listener = tokio::net::TcpListener::from_std(listener).map_err(|source| Error::Io {
        context: "cannot serve on the socket".into(),
        source,
    })?;
    let local: SocketAddr = listener.local_addr().map_err(|source| Error::Io {
        context: "cannot read the bound address".into(),
        source,
    })?;
    // Caught from before the line that says the server is up: a
    // supervisor's SIGTERM right after it is a graceful stop, never the
    // default action's end of the process.
    let signals = signals();
    fastapp_config::outln!("fastapp: listening on http://{local}");
    // Each connection gets a clone of the guarded router (an `Arc`):
    // not the bare router, whose every route axum would copy per
    // connection (`with_state(())`), a cost that grows with the apps.
    let header_timeout = (settings.header_timeout > 0).then(|| Duration::from_secs(settings.header_timeout));
    let mut connections = super::connections::Connections::new(header_timeout);
    let stop = stopping(signals.clone(), readiness, drain_delay);
    connections.serve(&listener, mounted.served().clone(), stop).await;
    drop(listener);
    // In-flight requests finish (and requests already sent on open
    // connections are answered), but not forever: the drain ends at
    // `shutdown_timeout`, or at once on a second signal.
    let finished = connections
        .finish(async {
            let cut = tokio::select! {
                () = tokio::time::sleep(drain) => format!("in-flight requests still running after shutdown_timeout ({}s)", drain.as_secs()),
                () = received(signals, 2) => "a second signal".to_string(),
            };
            tracing::warn!("stopping without waiting for in-flight requests: {cut}");
        })
        .await;
    if finished {
        tracing::debug!("every connection closed");
    }
    mounted.stop().await;
    // stdout may be gone by now (a closed pipe): `outln!` never panics.
    fastapp_config::outln!("fastapp: stopped");
    Ok(())
}

/// `migration.E053` on the served database, as warnings: a model that
/// reads what the database lacks fails its requests, but the other apps'
/// routes still serve (`check` finds the same as an error).
fn warn_drift(loaded: &Loaded) {
    let models = loader::owned_models(loaded.project, &loaded.resolved.apps);
    let drift = db::connect(&loaded.settings.database_url)
        .ok()
        .and_then(|mut conn| crate::migrate::drift::drift(&mut conn, &models).ok());
    for finding in drift.unwrap_or_default() {
        tracing::warn!("{finding}");
    }
}

/// The socket a supervisor handed over (`LISTEN_FDS=1`, descriptor 3: the
/// convention of `cargo fastapp dev`, systemd socket activation and
/// systemfd), if any.
fn inherited_listener() -> Result<Option<std::net::TcpListener>, Error> {
    let io = |source| Error::Io {
        context: "LISTEN_FDS is set, but descriptor 3 is not a usable TCP listening socket".into(),
        source,
    };
    let inherited = listenfd::ListenFd::from_env().take_tcp_listener(0).map_err(io)?;
    if let Some(listener) = &inherited {
        listener.set_nonblocking(true).map_err(io)?;
    }
    Ok(inherited)
}

/// A new listening socket on `addr`, ready for tokio.
fn bind(addr: &str) -> Result<std::net::TcpListener, Error> {
    let io = |source: std::io::Error| {
        Error::from(
            Finding::new(
                "io.E090",
                format!("cannot listen on {addr}: {source}"),
                "stop the server using the port, or pass another with --port (or PORT; 0 picks a free one)",
            )
            .location(addr.to_string()),
        )
    };
    let listener = std::net::TcpListener::bind(addr).map_err(io)?;
    listener.set_nonblocking(true).map_err(io)?;
    Ok(listener)
}

/// How many SIGINTs and SIGTERMs have arrived, counted from this call on
/// (the handlers are installed before it returns; call it in the runtime).
fn signals() -> tokio::sync::watch::Receiver<u32> {
    let (count, counted) = tokio::sync::watch::channel(0u32);
    #[cfg(unix)]
    for (kind, terminate) in [
        (tokio::signal::unix::SignalKind::interrupt(), false),
        (tokio::signal::unix::SignalKind::terminate(), true),
    ] {
        match tokio::signal::unix::signal(kind) {
            Ok(mut stream) => {
                let count = count.clone();
                tokio::spawn(async move {
                    while stream.recv().await.is_some() {
                        if *count.borrow() == 0 && terminate {
                            TERMINATED.store(true, std::sync::atomic::Ordering::SeqCst);
                        }
                        arrived(&count);
                    }
                });
            }
            Err(err) => tracing::warn!(%err, "cannot listen for a stop signal"),
        }
    }
    #[cfg(not(unix))]
    tokio::spawn(async move {
        while tokio::signal::ctrl_c().await.is_ok() {
            arrived(&count);
        }
    });
    counted
}

/// Counts one stop signal; the first starts the graceful stop.
fn arrived(count: &tokio::sync::watch::Sender<u32>) {
    count.send_modify(|n| *n += 1);
    if *count.borrow() == 1 {
        tracing::info!("shutting down: finishing in-flight requests");
    }
}

/// Resolves when the server is to stop accepting: at once on SIGINT; on
/// SIGTERM (a supervisor's, a load balancer's orchestrator's) readiness
/// fails at once, and serving goes on for `drain_delay` so the balancer's
/// health check takes the server out first (a second signal cuts it short).
async fn stopping(
    signals: tokio::sync::watch::Receiver<u32>,
    readiness: std::sync::Arc<crate::health::Readiness>,
    drain_delay: Duration,
) {
    received(signals.clone(), 1).await;
    readiness.drain();
    if drain_delay.is_zero() || !TERMINATED.load(std::sync::atomic::Ordering::SeqCst) {
        return;
    }
    tracing::info!(
        "draining: readiness answers 503, serving goes on for drain_delay ({}s)",
        drain_delay.as_secs()
    );
    tokio::select! {
        () = tokio::time::sleep(drain_delay) => {}
        () = received(signals, 2) => {}
    }
}

/// Whether the first stop signal was SIGTERM (SIGINT skips the drain delay).
static TERMINATED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Resolves once `n` signals have arrived (never, if none can).
async fn received(mut signals: tokio::sync::watch::Receiver<u32>, n: u32) {
    if signals.wait_for(|count| *count >= n).await.is_err() {
        std::future::pending::<()>().await;
    }
}
