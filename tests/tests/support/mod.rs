//! Shared by the end-to-end tests: build the example project once, start it
//! on a free loopback port with a fresh SQLite file, and stop it gracefully.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The example project's directory.
pub fn example_dir() -> PathBuf {
    workspace().join("example-project")
}

/// Builds `example-project` (a no-op when `cargo test --workspace` already
/// did) and returns its binary.
pub fn example_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| build_binary("example-project"))
}

/// Builds `fixture-project`, the project that breaks rules on purpose.
pub fn fixture_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| build_binary("fixture-project"))
}

fn build_binary(package: &str) -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(workspace())
        .args(["build", "-p", package, "--message-format=json-render-diagnostics"])
        .stderr(Stdio::inherit())
        .output()
        .expect("run cargo build");
    assert!(output.status.success(), "cargo build -p {package} failed");
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|msg| msg["reason"] == "compiler-artifact" && msg["target"]["name"] == package)
        .find_map(|msg| msg["executable"].as_str().map(PathBuf::from))
        .unwrap_or_else(|| panic!("cargo reported the {package} binary"))
}

/// Runs the fixture project with `config` as its fastapp.toml (through
/// FASTAPP_CONFIG), against `db`, in the directory of `config_dir`.
pub fn fixture(config: &str, db: &Path, args: &[&str]) -> std::process::Output {
    fixture_in(config, db, args, &[])
}

/// [`fixture`] with extra environment variables.
pub fn fixture_in(config: &str, db: &Path, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let config_path = dir.path().join("fastapp.toml");
    std::fs::write(&config_path, config).unwrap();
    let mut cmd = Command::new(fixture_binary());
    cmd.current_dir(dir.path())
        .args(args)
        .env("FASTAPP_CONFIG", &config_path)
        .env("DATABASE_URL", db)
        .env("RUST_LOG", "warn")
        .env("RUST_BACKTRACE", "0");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run the fixture project")
}

/// Runs the example binary with `args` against `db`, in `dir`.
pub fn example_command(dir: &Path, db: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(example_binary());
    cmd.current_dir(dir)
        .args(args)
        .env("DATABASE_URL", db)
        .env("RUST_LOG", "warn")
        .env_remove("PORT")
        .env_remove("HOST");
    cmd
}

/// A running example server; stopped with SIGTERM on drop.
pub struct Server {
    pub child: Child,
    pub base: String,
    /// The rest of the server's stdout, kept open until it exits.
    pub stdout: std::io::Lines<BufReader<std::process::ChildStdout>>,
}

impl Server {
    /// Starts `serve --port 0` and waits for its "listening on" line.
    pub fn start(dir: &Path, db: &Path) -> Server {
        let mut child = example_command(dir, db, &["serve", "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the example");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let base = loop {
            let line = lines
                .next()
                .expect("the server printed its address before exiting")
                .unwrap();
            if let Some(url) = line.strip_prefix("fastapp: listening on ") {
                break url.trim().to_string();
            }
        };
        assert!(
            base.starts_with("http://127.0.0.1:"),
            "serves on loopback: {base}"
        );
        Server {
            child,
            base,
            stdout: lines,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends SIGTERM and returns whether the process exited successfully,
    /// with what it printed after "listening on".
    pub fn stop(mut self) -> (bool, String) {
        let ok = terminate(&mut self.child);
        let rest: Vec<String> = self.stdout.by_ref().map_while(Result::ok).collect();
        (ok, rest.join("\n"))
    }
}

fn terminate(child: &mut Child) -> bool {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    for _ in 0..100 {
        if let Ok(Some(status)) = child.try_wait() {
            return status.success();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    false
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            terminate(&mut self.child);
        }
    }
}

/// An HTTP agent that does not turn 4xx/5xx into errors we must unpack.
pub fn http() -> ureq::Agent {
    ureq::AgentBuilder::new().timeout(Duration::from_secs(10)).build()
}

/// `(status, json body)` of a request, whatever the status.
pub fn send(request: ureq::Request, body: Option<serde_json::Value>) -> (u16, serde_json::Value) {
    let result = match body {
        Some(body) => request.send_json(body),
        None => request.call(),
    };
    let response = match result {
        Ok(response) => response,
        Err(ureq::Error::Status(_, response)) => response,
        Err(err) => panic!("request failed: {err}"),
    };
    let status = response.status();
    let json = response.into_json().unwrap_or(serde_json::Value::Null);
    (status, json)
}
