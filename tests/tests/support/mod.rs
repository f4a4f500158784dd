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

/// Where cargo builds (this test's own target directory: `CARGO_TARGET_DIR`,
/// a config's `build.target-dir`, or the workspace's `target/`). Projects the
/// tests generate build here too, reusing the compiled dependencies.
pub fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
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

/// Builds `cargo-fastapp`, the scaffolder and dev loop.
pub fn cargo_fastapp_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| build_binary("cargo-fastapp"))
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
    let mut cmd = fixture_command(dir.path(), config, db, args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run the fixture project")
}

/// The fixture project with `config` written to `dir/fastapp.toml` (through
/// FASTAPP_CONFIG), against `db`, in `dir`; to spawn or run.
pub fn fixture_command(dir: &Path, config: &str, db: &Path, args: &[&str]) -> Command {
    let config_path = dir.join("fastapp.toml");
    std::fs::write(&config_path, config).unwrap();
    let mut cmd = Command::new(fixture_binary());
    cmd.current_dir(dir)
        .args(args)
        .env("FASTAPP_CONFIG", &config_path)
        .env("DATABASE_URL", db)
        .env("RUST_LOG", "warn")
        .env("RUST_BACKTRACE", "0")
        // SIGTERM stops at once: no balancer to wait for.
        .env("DRAIN_DELAY", "0");
    cmd
}

/// Runs the example binary with `args` against `db`, in `dir`.
pub fn example_command(dir: &Path, db: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(example_binary());
    cmd.current_dir(dir)
        .args(args)
        .env("DATABASE_URL", db)
        .env("RUST_LOG", "warn")
        .env("PATH", path_with_tools())
        .env_remove("PORT")
        .env_remove("HOST")
        // SIGTERM stops at once: no balancer to wait for.
        .env("DRAIN_DELAY", "0");
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
        Server::start_with(dir, db, &[])
    }

    /// [`Server::start`] with extra environment variables (settings).
    pub fn start_with(dir: &Path, db: &Path, env: &[(&str, &str)]) -> Server {
        let mut cmd = example_command(dir, db, &["serve", "--port", "0"]);
        cmd.envs(env.iter().copied());
        Server::spawn(cmd)
    }

    /// Spawns `cmd` (a project's `serve --port 0`) and waits for its
    /// "listening on" line.
    pub fn spawn(mut cmd: Command) -> Server {
        let mut child = cmd
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

    /// Waits for the server to exit by itself, failing the test with `what`
    /// after `limit`.
    pub fn exit_within(&mut self, limit: Duration, what: &str) -> std::process::ExitStatus {
        let deadline = std::time::Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(std::time::Instant::now() < deadline, "{what} within {limit:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
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

/// A child process killed and reaped when dropped, however the test ends (a
/// leaked server would hold a port, and cargo's pipe).
pub struct KillOnDrop(pub Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// An HTTP agent that does not turn 4xx/5xx into errors we must unpack.
pub fn http() -> ureq::Agent {
    ureq::AgentBuilder::new().timeout(Duration::from_secs(10)).build()
}

/// The body of a successful GET.
pub fn get_text(url: &str) -> String {
    http().get(url).call().unwrap().into_string().unwrap()
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

/// A fresh database for one test (the test kit's [`TestDatabase`]): a
/// SQLite file, or a PostgreSQL database created on the server
/// `FASTAPP_TEST_POSTGRES` names (dropped afterwards).
///
/// [`TestDatabase`]: fastapp_core::testing::TestDatabase
pub struct TestDb {
    pub url: String,
    pub backend: &'static str,
    _db: fastapp_core::testing::TestDatabase,
}

impl TestDb {
    pub fn sqlite() -> TestDb {
        let db = fastapp_core::testing::TestDatabase::sqlite().unwrap();
        TestDb {
            url: db.url().to_string(),
            backend: "sqlite",
            _db: db,
        }
    }

    /// `None` when no server is configured (allowed unless
    /// FASTAPP_REQUIRE_POSTGRES=1, which `.ci/run` sets).
    pub fn postgres() -> Option<TestDb> {
        let server = match std::env::var("FASTAPP_TEST_POSTGRES") {
            Ok(url) if !url.is_empty() => url,
            _ => {
                assert!(
                    std::env::var("FASTAPP_REQUIRE_POSTGRES").is_err(),
                    "FASTAPP_REQUIRE_POSTGRES is set but FASTAPP_TEST_POSTGRES is not"
                );
                eprintln!("note: FASTAPP_TEST_POSTGRES is not set; PostgreSQL cases skipped");
                return None;
            }
        };
        let db = fastapp_core::testing::TestDatabase::postgres(&server)
            .unwrap_or_else(|err| panic!("FASTAPP_TEST_POSTGRES: {err}"));
        Some(TestDb {
            url: db.url().to_string(),
            backend: "postgres",
            _db: db,
        })
    }

    /// Tables of the database.
    pub fn tables(&self) -> Vec<String> {
        let mut conn = fastapp_core::db::connect(&self.url).unwrap();
        fastapp_core::migrate::database_tables(&mut conn).unwrap()
    }

    /// One text column of `sql`'s rows (select it `AS v`).
    pub fn strings(&self, sql: &str) -> Vec<String> {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            v: String,
        }
        let mut conn = fastapp_core::db::connect(&self.url).unwrap();
        diesel::sql_query(sql)
            .load::<Row>(&mut conn)
            .unwrap()
            .into_iter()
            .map(|r| r.v)
            .collect()
    }

    /// Runs SQL statements.
    pub fn execute(&self, sql: &str) {
        let mut conn = fastapp_core::db::connect(&self.url).unwrap();
        diesel::connection::SimpleConnection::batch_execute(&mut conn, sql).unwrap();
    }
}

/// SQLite always; PostgreSQL when configured.
pub fn backends() -> Vec<TestDb> {
    let mut dbs = vec![TestDb::sqlite()];
    dbs.extend(TestDb::postgres());
    dbs
}

/// Runs the example binary with `args` against `db`; (exit code, stdout, stderr).
pub fn example(db: &TestDb, args: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = example_command(dir.path(), Path::new(&db.url), args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// `migrate status` parsed: app → [(mark, name)] with mark `X`, ` ` or `!`.
pub fn status(db: &TestDb) -> std::collections::BTreeMap<String, Vec<(char, String)>> {
    let (code, stdout, stderr) = example(db, &["migrate", "status"]);
    assert_eq!(code, 0, "{stderr}");
    parse_status(&stdout)
}

pub fn parse_status(stdout: &str) -> std::collections::BTreeMap<String, Vec<(char, String)>> {
    let mut out = std::collections::BTreeMap::new();
    let mut app = String::new();
    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix("  [") {
            let mark = rest.chars().next().unwrap();
            let name = rest[3..].split("  ").next().unwrap().to_string();
            out.entry(app.clone()).or_insert_with(Vec::new).push((mark, name));
        } else if let Some((name, _)) = line.split_once(' ') {
            app = name.to_string();
            out.entry(app.clone()).or_insert_with(Vec::new);
        }
    }
    out
}

/// `PATH` with `target/tools/bin` first: where `scripts/test.sh` installs
/// the diesel CLI (fastapp's `makemigrations` runs it from `PATH`).
pub fn path_with_tools() -> std::ffi::OsString {
    let tools = workspace().join("target/tools/bin");
    let mut dirs = vec![tools];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).unwrap()
}

/// The real diesel CLI, from `target/tools/bin` or `PATH`, run in `dir`.
pub fn diesel_command(dir: &Path) -> Command {
    let installed = workspace().join("target/tools/bin/diesel");
    let mut cmd = Command::new(if installed.is_file() {
        installed.into_os_string()
    } else {
        "diesel".into()
    });
    cmd.current_dir(dir).env("PATH", path_with_tools());
    cmd
}

/// Runs the real diesel CLI in `dir` against `url`.
pub fn diesel(args: &[&str], url: &str, dir: &Path) -> std::process::Output {
    diesel_command(dir)
        .args(args)
        .env("DATABASE_URL", url)
        .output()
        .unwrap_or_else(|err| {
            panic!(
                "cannot run the diesel CLI ({err}): run the tests with `bash scripts/test.sh`, which installs it \
                 into target/tools, or `cargo install diesel_cli --no-default-features --features sqlite-bundled,postgres`"
            )
        })
}

/// Copies a directory tree, leaving out build output and databases.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().to_string();
        if name == "target"
            || name.ends_with(".db")
            || name.contains(".db-")
            || name.ends_with(".migrate.lock")
        {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The stdout of a command that must succeed (else both streams, in the panic).
pub fn succeeded(out: std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Replaces the first `from` in the file at `path` with `to` (which must be there).
pub fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// `cargo <args>` in `dir` (a scaffolded project), sharing the workspace's
/// target directory and so its compiled dependencies (the project's lock
/// file is the workspace's, copied by `--fastapp-path`); the database
/// variables of the test run are not the project's.
pub fn cargo_in(dir: &Path, args: &[&str]) -> std::process::Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    Command::new(cargo)
        .current_dir(dir)
        .args(args)
        .env("CARGO_TARGET_DIR", target_dir())
        .env_remove("DATABASE_URL")
        .env_remove("FASTAPP_TEST_DATABASE_URL")
        .output()
        .unwrap()
}

/// `cargo fastapp <args>` in `dir`, as cargo runs the installed tool.
pub fn cargo_fastapp(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(cargo_fastapp_binary())
        .current_dir(dir)
        .arg("fastapp")
        .args(args)
        .output()
        .unwrap()
}

/// Adds `n` to the reliability tally `what` (cases tried, faults survived,
/// requests, errors) in `target/test-artifacts/counts.txt`, which
/// `scripts/test.sh` sums and prints at the end of the run.
pub fn tally(what: &str, n: u64) {
    use std::io::Write;
    let dir = target_dir().join("test-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("counts.txt"))
        .unwrap();
    // One short write per line: lines from parallel tests do not interleave.
    file.write_all(format!("{what}\t{n}\n").as_bytes()).unwrap();
}
