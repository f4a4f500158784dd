//! `cargo fastapp dev`: watch the project, rebuild, migrate and restart the
//! server on every change, without dropping a request.
//!
//! The watcher owns the listening socket and hands it to each server
//! process as file descriptor 3 with `LISTEN_FDS=1` (the systemd / listenfd
//! convention, which `serve` honours). While a build runs, the last good
//! server keeps serving; a new one starts on the same socket, and only once
//! it listens is the old one stopped (SIGTERM: it finishes its in-flight
//! requests, and answers with `Connection: close` what arrives on the
//! connections it holds). A request sent between the two waits in the
//! socket's backlog instead of being refused. A failed build is printed in full and changes
//! nothing. Ctrl-C (or SIGTERM) stops the server and the watcher; a server
//! whose watcher dies is stopped by the kernel (`PR_SET_PDEATHSIG`).
//!
//! Each server migrates the development database as it starts. A migration
//! is often still being written when it is first applied: the servers run
//! `serve --dev`, which reverts a migration a dev server applied and that
//! was edited since (with the `down.sql` it was applied with), says so, and
//! applies the edited one. Any other database keeps refusing an edited
//! migration (`migration.E042`).

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use cargo_metadata::Message;
use fastapp_config::Finding;
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use crate::cli::DevArgs;
use crate::project::Project;
use crate::say::detail;
use crate::Result;

/// What wakes the loop.
enum Event {
    Changed(PathBuf),
    Stop,
}

/// Processes to signal when the watcher is told to stop.
static CHILDREN: Mutex<BTreeSet<u32>> = Mutex::new(BTreeSet::new());

/// Files at the project root whose changes matter (the rest of the root,
/// such as a SQLite database, is ignored).
const ROOT_FILES: &[&str] = &[
    "Cargo.toml",
    "Cargo.lock",
    "fastapp.toml",
    "diesel.toml",
    "build.rs",
    ".env",
];

/// How long a new server may take to migrate and listen.
const START_TIMEOUT: Duration = Duration::from_secs(120);

pub fn run(args: &DevArgs) -> Result<()> {
    let project = Project::require("dev")?;
    let package = project
        .package_name()
        .ok_or_else(|| {
            Finding::new(
                "scaffold.E066",
                "the project's Cargo.toml has no [package] name",
                "cargo fastapp dev runs the project's binary: give the package a name",
            )
        })?
        .to_string();
    let listener = TcpListener::bind((args.host.as_str(), args.port)).map_err(|err| {
        Finding::new(
            "io.E090",
            format!("cannot listen on {}:{}: {err}", args.host, args.port),
            "is another server using the port? pass --port (0 picks a free one)",
        )
    })?;
    let addr = listener
        .local_addr()
        .map_err(|err| crate::io_error("read the address of", Path::new("the socket"), err))?;
    say(&format!(
        "listening on http://{addr} (the server restarts on every change; Ctrl-C stops)"
    ));

    let (events, rx) = mpsc::channel();
    let stop = events.clone();
    let watch_events = events.clone();
    ctrlc::set_handler(move || {
        signal_children(libc::SIGTERM);
        let _ = stop.send(Event::Stop);
    })
    .map_err(|err| {
        Finding::new(
            "io.E090",
            format!("cannot handle Ctrl-C: {err}"),
            "run it from a terminal",
        )
    })?;
    // Kept alive for the whole loop; replaced when Cargo.toml changes.
    let mut _watcher = watch(&project, watch_events.clone())?;
    drop(events);

    let mut server: Option<Child> = None;
    loop {
        rebuild(&project.root, &package, &listener, &mut server);
        match next_change(&rx, &mut server) {
            Some(path) => {
                say(&format!("{} changed: rebuilding", path.display()));
                if path.file_name().is_some_and(|name| name == "Cargo.toml") {
                    // A new path dependency (an external app) is watched too.
                    if let Ok(project) = Project::open(&project.root) {
                        _watcher = watch(&project, watch_events.clone())?;
                    }
                }
            }
            None => break,
        }
    }
    if let Some(server) = server {
        stop_server(server);
    }
    say("stopped");
    Ok(())
}

/// Builds the project and, when the build is good and its server starts,
/// hands the socket over from the old server to the new one; otherwise the
/// old one keeps serving.
fn rebuild(root: &Path, package: &str, listener: &TcpListener, server: &mut Option<Child>) {
    match build(root, package) {
        Some(binary) => match start(&binary, root, listener) {
            Ok(new) => {
                if let Some(old) = server.take() {
                    stop_server(old);
                }
                say("serving the new build");
                *server = Some(new);
            }
            Err(message) => alert(&format!("{message}; still serving the previous build")),
        },
        None => alert(if server.is_some() {
            "build failed (see above); still serving the previous build until the next good one"
        } else {
            "build failed (see above); waiting for a change"
        }),
    }
}

/// A progress line (`-q` hides it).
fn say(message: &str) {
    if !crate::say::quiet() {
        alert(message);
    }
}

/// A line about something that went wrong: printed whatever the level.
fn alert(message: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "cargo fastapp dev: {message}");
    let _ = out.flush();
}

/// The watcher: notify's, debounced by `notify-debouncer-full` (an editor's
/// save is often several events; they arrive as one batch after 300 ms).
type Watcher = Debouncer<RecommendedWatcher, RecommendedCache>;

/// Watches the sources, the migrations, the project's config files and
/// every local package it builds (its link package and the external app
/// crates); each batch of relevant changes is one event.
fn watch(project: &Project, events: Sender<Event>) -> Result<Watcher> {
    let root = project.root.clone();
    let mut watcher = new_debouncer(QUIET, None, move |result: DebounceEventResult| {
        let Ok(batch) = result else { return };
        let changed = batch
            .into_iter()
            .filter(|event| !matches!(event.kind, EventKind::Access(_)))
            .flat_map(|event| event.event.paths)
            .find(|path| relevant(&root, path));
        if let Some(path) = changed {
            let _ = events.send(Event::Changed(path));
        }
    })
    .map_err(|err| {
        Finding::new(
            "io.E090",
            format!("cannot watch files: {err}"),
            "check inotify limits",
        )
    })?;
    let mut dirs = vec![
        (project.root.clone(), RecursiveMode::NonRecursive),
        (project.root.join("src"), RecursiveMode::Recursive),
        (project.diesel.migrations_dir.clone(), RecursiveMode::Recursive),
    ];
    dirs.extend(
        local_packages(&project.root)
            .into_iter()
            .map(|dir| (dir, RecursiveMode::Recursive)),
    );
    for (dir, mode) in dirs {
        if dir.exists() {
            detail!("cargo fastapp dev: watching {}", dir.display());
            watcher.watch(&dir, mode).map_err(|err| {
                Finding::new(
                    "io.E090",
                    format!("cannot watch {}: {err}", dir.display()),
                    "check that the directory is readable, and the inotify limit (fs.inotify.max_user_watches)",
                )
                .location(dir.display().to_string())
            })?;
        }
    }
    Ok(watcher)
}

/// The directories of the local packages the project builds besides itself
/// (`cargo metadata`: every package without a registry or git source, so a
/// path dependency however it is declared, `[workspace.dependencies]`
/// included). The project alone when cargo cannot read the manifests: the
/// build that follows prints why.
fn local_packages(root: &Path) -> Vec<PathBuf> {
    let metadata = cargo_metadata::MetadataCommand::new()
        .manifest_path(root.join("Cargo.toml"))
        .exec();
    let Ok(metadata) = metadata else {
        return Vec::new();
    };
    let root = fastapp_config::normalize(root);
    metadata
        .packages
        .iter()
        .filter(|package| package.source.is_none())
        .filter_map(|package| package.manifest_path.parent())
        .map(|dir| fastapp_config::normalize(dir.as_std_path()))
        .filter(|dir| *dir != root)
        .collect()
}

fn relevant(root: &Path, path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    // Build output and VCS data of the project (or of a path dependency,
    // whose own target/ sits at its root), not a directory of that name
    // above the project or an app called `target` under src/.
    let relative = path.strip_prefix(root).unwrap_or(path);
    let under_src = relative.starts_with("src");
    let build_or_vcs = relative
        .components()
        .any(|c| c.as_os_str() == "target" || c.as_os_str() == ".git");
    if (build_or_vcs && !under_src)
        || name.ends_with('~')
        || name.starts_with(".#")
        || name.ends_with(".swp")
        || name == ".diesel_lock"
    {
        return false;
    }
    if path.parent() == Some(root) {
        return ROOT_FILES.contains(&name.as_str());
    }
    true
}

/// How long a path must be quiet before its change is reported.
const QUIET: Duration = Duration::from_millis(300);

/// Waits for a change (the watcher has debounced it); `None` when told to
/// stop. Changes already queued behind it are one rebuild with it. A server
/// that exits meanwhile (it crashed) is reported and forgotten: the socket
/// stays open, and requests wait for the next good build.
fn next_change(rx: &Receiver<Event>, server: &mut Option<Child>) -> Option<PathBuf> {
    let mut changed = loop {
        match rx.recv_timeout(Duration::from_millis(500)) {
            Ok(Event::Changed(path)) => break path,
            Ok(Event::Stop) | Err(RecvTimeoutError::Disconnected) => return None,
            Err(RecvTimeoutError::Timeout) => {
                if let Some(status) = server.as_mut().and_then(exited) {
                    alert(&format!(
                        "the server exited ({status}); fix the cause and save to restart it"
                    ));
                    *server = None;
                }
            }
        }
    };
    while let Ok(event) = rx.try_recv() {
        match event {
            Event::Changed(path) => changed = path,
            Event::Stop => return None,
        }
    }
    Some(changed)
}

/// `cargo build` of the project; its diagnostics go to stderr in full. The
/// binary's path (from cargo's JSON messages, read by `cargo_metadata`), or
/// `None` when the build failed.
fn build(root: &Path, package: &str) -> Option<PathBuf> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    detail!("cargo fastapp dev: running cargo build --message-format=json-render-diagnostics");
    let mut child = Command::new(cargo)
        .current_dir(root)
        .args(["build", "--message-format=json-render-diagnostics"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|err| alert(&format!("cannot run cargo: {err}")))
        .ok()?;
    register(child.id());
    let mut binary = None;
    if let Some(stdout) = child.stdout.take() {
        for message in Message::parse_stream(BufReader::new(stdout)).map_while(std::result::Result::ok) {
            if let Message::CompilerArtifact(artifact) = message {
                if artifact.target.name == package {
                    binary = artifact.executable.map(PathBuf::from).or(binary);
                }
            }
        }
    }
    let status = reap(&mut child);
    binary.filter(|_| status.is_some_and(|s| s.success()))
}

/// Starts `binary serve` on the watcher's socket and waits until it
/// listens; an error (the server exited, or took too long) otherwise.
fn start(binary: &Path, root: &Path, listener: &TcpListener) -> std::result::Result<Child, String> {
    let fd = listener.as_raw_fd();
    let mut command = Command::new(binary);
    command
        .current_dir(root)
        // `--dev`: a migration this loop applied and the user edited since is
        // reverted and applied again, on this database only.
        .args(["serve", "--dev"])
        .env("LISTEN_FDS", "1")
        .env_remove("LISTEN_PID")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    // The socket becomes descriptor 3 here rather than through `command-fds`:
    // that crate does the same dup2/fcntl, but this closure is needed anyway
    // for PR_SET_PDEATHSIG, and it would add a second `nix` beside ctrlc's.
    // SAFETY: between fork and exec the closure only makes async-signal-safe
    // system calls (dup2, fcntl, prctl) and allocates nothing.
    unsafe {
        command.pre_exec(move || {
            if fd == 3 {
                // dup2(3, 3) would keep FD_CLOEXEC set.
                if libc::fcntl(3, libc::F_SETFD, 0) == -1 {
                    return Err(std::io::Error::last_os_error());
                }
            } else if libc::dup2(fd, 3) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            // The server dies with the watcher: no orphan keeps the port.
            #[cfg(target_os = "linux")]
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = command
        .spawn()
        .map_err(|err| format!("cannot start {}: {err}", binary.display()))?;
    register(child.id());
    let stdout = child.stdout.take().expect("stdout is piped");
    let (listening, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut out = std::io::stdout();
        for line in BufReader::new(stdout).lines().map_while(std::result::Result::ok) {
            if line.starts_with("fastapp: listening on") {
                let _ = listening.send(());
            }
            let _ = writeln!(out, "{line}");
            let _ = out.flush();
        }
    });
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        if rx.recv_timeout(Duration::from_millis(100)).is_ok() {
            return Ok(child);
        }
        if let Some(status) = exited(&mut child) {
            return Err(format!(
                "the new server exited ({status}) before listening (see above)"
            ));
        }
        if Instant::now() > deadline {
            stop_server(child);
            return Err(format!(
                "the new server did not listen within {}s",
                START_TIMEOUT.as_secs()
            ));
        }
    }
}

/// How long a stopped server may take to finish its in-flight requests.
const STOP_GRACE: Duration = Duration::from_secs(10);

/// SIGTERM, then wait (the server finishes its in-flight requests), then
/// SIGKILL after [`STOP_GRACE`]: one stuck request does not hold up rebuilds.
fn stop_server(mut child: Child) {
    signal(child.id(), libc::SIGTERM);
    let deadline = Instant::now() + STOP_GRACE;
    while Instant::now() < deadline {
        if exited(&mut child).is_some() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    alert(&format!(
        "the old server did not stop within {}s; killing it",
        STOP_GRACE.as_secs()
    ));
    signal(child.id(), libc::SIGKILL);
    reap(&mut child);
}

/// The child's exit status if it has exited. It is forgotten (no longer
/// signalled) before it is reaped, so its pid cannot be reused while it is
/// still registered.
fn exited(child: &mut Child) -> Option<std::process::ExitStatus> {
    // SAFETY: waitid(2) with WNOWAIT on our own child only peeks; the child
    // stays a zombie (its pid in use) until `try_wait` reaps it.
    let done = unsafe {
        let mut info: libc::siginfo_t = std::mem::zeroed();
        let flags = libc::WEXITED | libc::WNOHANG | libc::WNOWAIT;
        libc::waitid(libc::P_PID, child.id() as libc::id_t, &mut info, flags) == 0 && info.si_pid() != 0
    };
    if !done {
        return None;
    }
    unregister(child.id());
    child.try_wait().ok().flatten()
}

/// Waits until the child exits, forgets it, then reaps it.
fn reap(child: &mut Child) -> Option<std::process::ExitStatus> {
    // SAFETY: as in `exited`, blocking: the child is not reaped here.
    unsafe {
        let mut info: libc::siginfo_t = std::mem::zeroed();
        libc::waitid(
            libc::P_PID,
            child.id() as libc::id_t,
            &mut info,
            libc::WEXITED | libc::WNOWAIT,
        );
    }
    unregister(child.id());
    child.wait().ok()
}

fn register(pid: u32) {
    CHILDREN.lock().unwrap_or_else(|p| p.into_inner()).insert(pid);
}

fn unregister(pid: u32) {
    CHILDREN.lock().unwrap_or_else(|p| p.into_inner()).remove(&pid);
}

fn signal(pid: u32, sig: libc::c_int) {
    // SAFETY: kill(2) on a child of ours that has not been reaped (children
    // are unregistered before they are reaped).
    unsafe {
        libc::kill(pid as libc::pid_t, sig);
    }
}

fn signal_children(sig: libc::c_int) {
    for pid in CHILDREN.lock().unwrap_or_else(|p| p.into_inner()).iter() {
        signal(*pid, sig);
    }
}
