//! `cargo fastapp dev` on a scaffolded project, while a client keeps
//! requesting: a changed handler is served without a refused connection; a
//! build that breaks isolation is printed and the last good server keeps
//! answering; the fix is served; Ctrl-C stops the server too. A migration
//! edited after dev applied it is applied again on the development database
//! (and only there).
// Signals (`kill -INT/-TERM`) and descriptor passing are Unix-only.
#![cfg(unix)]

mod support;

use support::{edit, succeeded};

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Collects a stream's lines as they come.
fn collect(stream: impl Read + Send + 'static, into: Arc<Mutex<String>>) {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            let mut all = into.lock().unwrap();
            all.push_str(&line);
            all.push('\n');
        }
    });
}

/// Polls until `what` holds, for at most `limit`.
fn wait_for(what: &str, limit: Duration, mut check: impl FnMut() -> bool) {
    let start = Instant::now();
    while !check() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The body of a GET on a fresh connection (no keep-alive: each request
/// meets whichever server accepts it), or what went wrong.
fn get(url: &str) -> Result<(u16, String), String> {
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(60))
        .max_idle_connections(0)
        .build();
    match agent.get(url).call() {
        Ok(response) => Ok((response.status(), response.into_string().unwrap_or_default())),
        Err(ureq::Error::Status(code, response)) => Ok((code, response.into_string().unwrap_or_default())),
        Err(err) => Err(err.to_string()),
    }
}

#[test]
fn dev_rebuilds_and_restarts_without_dropping_requests() {
    let root = tempfile::tempdir().unwrap();
    let project = project_with_shop(root.path(), "devdemo");
    succeeded(support::cargo_fastapp(
        &project,
        &["app", "new", "news", "--external"],
    ));
    // The external app declared through `[workspace.dependencies]`, as a
    // workspace that shares its dependencies does: still watched.
    edit(
        &project.join("Cargo.toml"),
        "[workspace]\n",
        "[workspace]\n\n[workspace.dependencies]\nnews = { path = \"news\" }\n",
    );
    edit(
        &project.join("link/Cargo.toml"),
        "news = { path = \"../news\" }",
        "news.workspace = true",
    );
    let app_mod = project.join("src/apps/shop/mod.rs");
    edit(
        &app_mod,
        "Ok(Some(router))",
        "Ok(Some(router.route(\"/version\", axum::routing::get(|| async { \"one\" }))))",
    );

    let (mut dev, stdout, stderr) = start_dev(&project, &root.path().join("dev.db"));
    let said = |text: &str| stdout.lock().unwrap().matches(text).count();
    let printed = |text: &str| stderr.lock().unwrap().contains(text);

    wait_for("the first build to serve", Duration::from_secs(300), || {
        said("serving the new build") >= 1
    });
    let base = {
        let out = stdout.lock().unwrap();
        let at = out.find("listening on http://").unwrap() + "listening on ".len();
        out[at..].split_whitespace().next().unwrap().to_string()
    };
    assert_eq!(get(&format!("{base}/shop/version")), Ok((200, "one".into())));

    // A client that keeps requesting through everything below.
    let stop = Arc::new(AtomicBool::new(false));
    let (requests, failures) = (Arc::new(AtomicUsize::new(0)), Arc::new(Mutex::new(Vec::new())));
    let client = {
        let (stop, requests, failures, url) = (
            stop.clone(),
            requests.clone(),
            failures.clone(),
            format!("{base}/shop/items"),
        );
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                match get(&url) {
                    Ok((200, _)) => {}
                    other => failures.lock().unwrap().push(format!("{other:?}")),
                }
                requests.fetch_add(1, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };

    // 1. A changed handler is served.
    support::edit(&app_mod, "\"one\"", "\"two\"");
    wait_for("the changed handler", Duration::from_secs(300), || {
        get(&format!("{base}/shop/version")) == Ok((200, "two".into()))
    });

    // 2. An internal app that uses the external app: the isolation error is
    //    printed, and the last good server keeps answering.
    let handlers = project.join("src/apps/shop/handlers.rs");
    let original = std::fs::read_to_string(&handlers).unwrap();
    std::fs::write(&handlers, format!("use news::Item as _Leak;\n{original}")).unwrap();
    wait_for("the isolation error", Duration::from_secs(300), || {
        printed("[isolation.E001] internal app `shop` uses external app `news`") && said("build failed") >= 1
    });
    assert_eq!(get(&format!("{base}/shop/version")), Ok((200, "two".into())));

    // 3. Reverted (and changed once more): the new build serves.
    std::fs::write(&handlers, &original).unwrap();
    support::edit(&app_mod, "\"two\"", "\"three\"");
    wait_for("the fixed build", Duration::from_secs(300), || {
        get(&format!("{base}/shop/version")) == Ok((200, "three".into()))
    });

    // 4. A change in the external app's crate is served.
    edit(
        &project.join("news/src/lib.rs"),
        "Some(router)",
        "Some(router.route(\"/version\", axum::routing::get(|| async { \"news\" })))",
    );
    wait_for("the external app's change", Duration::from_secs(300), || {
        get(&format!("{base}/news/version")) == Ok((200, "news".into()))
    });

    stop.store(true, Ordering::SeqCst);
    client.join().unwrap();
    let failures = failures.lock().unwrap();
    let requests = requests.load(Ordering::SeqCst);
    assert!(requests > 20, "the client kept requesting ({requests})");
    assert!(
        failures.is_empty(),
        "{} of {requests} requests failed: {failures:?}",
        failures.len()
    );
    eprintln!("dev loop: {requests} requests across 4 rebuilds, 0 failed");

    // Ctrl-C stops the watcher and its server: the port closes.
    let _ = Command::new("kill")
        .args(["-INT", &dev.0.id().to_string()])
        .status();
    let status = dev.0.wait().unwrap();
    assert!(status.success(), "{status}");
    assert!(
        said("cargo fastapp dev: stopped") == 1,
        "{}",
        stdout.lock().unwrap()
    );
    wait_for("the port to close", Duration::from_secs(10), || {
        get(&format!("{base}/shop/items")).is_err()
    });
}

/// The exit code and stderr of `child`, killed (and the test failed) if it
/// has not exited within `limit`: a regression that serves instead of
/// refusing must not hang the test.
fn within(limit: Duration, mut child: std::process::Child) -> (Option<i32>, String) {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
            return (status.code(), err);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A new project `name` in `root` with an internal app `shop`.
fn project_with_shop(root: &std::path::Path, name: &str) -> std::path::PathBuf {
    let workspace = support::workspace();
    succeeded(support::cargo_fastapp(
        root,
        &["new", name, "--fastapp-path", workspace.to_str().unwrap()],
    ));
    let project = root.join(name);
    succeeded(support::cargo_fastapp(&project, &["app", "new", "shop"]));
    project
}

/// `cargo fastapp dev`, stopped with Ctrl-C (SIGINT, which stops its
/// server too) however the test ends.
struct Dev(std::process::Child);

impl Drop for Dev {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = Command::new("kill")
                .args(["-INT", &self.0.id().to_string()])
                .status();
            let _ = self.0.wait();
        }
    }
}

/// `dev` started on `project` with `db`; its stdout and stderr collected.
fn start_dev(
    project: &std::path::Path,
    db: &std::path::Path,
) -> (Dev, Arc<Mutex<String>>, Arc<Mutex<String>>) {
    let mut dev = Command::new(support::cargo_fastapp_binary())
        .current_dir(project)
        .args(["fastapp", "dev", "--port", "0"])
        .env("CARGO_TARGET_DIR", support::target_dir())
        .env("DATABASE_URL", db)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = Arc::new(Mutex::new(String::new()));
    let stderr = Arc::new(Mutex::new(String::new()));
    collect(dev.stdout.take().unwrap(), stdout.clone());
    collect(dev.stderr.take().unwrap(), stderr.clone());
    (Dev(dev), stdout, stderr)
}

#[test]
fn a_migration_edited_after_dev_applied_it_is_applied_again_on_the_dev_database_only() {
    let root = tempfile::tempdir().unwrap();
    let project = project_with_shop(root.path(), "devmig");
    let dev_db = root.path().join("dev.db");
    let (mut dev, stdout, stderr) = start_dev(&project, &dev_db);
    let said = |text: &str| stdout.lock().unwrap().matches(text).count();
    let everything = || format!("{}\n{}", stdout.lock().unwrap(), stderr.lock().unwrap());
    wait_for("the first build to serve", Duration::from_secs(300), || {
        said("serving the new build") >= 1
    });
    let base = {
        let out = stdout.lock().unwrap();
        let at = out.find("listening on http://").unwrap() + "listening on ".len();
        out[at..].split_whitespace().next().unwrap().to_string()
    };
    // Data the user would hate to lose.
    let (status, _) = support::send(
        support::http().post(&format!("{base}/shop/items")),
        Some(serde_json::json!({"name": "kept"})),
    );
    assert_eq!(status, 201);

    // A migration, first written: dev applies it as soon as it is saved.
    let migration = project.join("migrations/2030-01-01-000000_shop_create_notes");
    std::fs::create_dir_all(&migration).unwrap();
    std::fs::write(migration.join("down.sql"), "DROP TABLE shop_notes;\n").unwrap();
    std::fs::write(
        migration.join("up.sql"),
        "CREATE TABLE shop_notes (id TEXT PRIMARY KEY NOT NULL);\n",
    )
    .unwrap();
    let columns = |db: &std::path::Path| {
        let mut conn = fastapp_core::db::connect(&db.display().to_string()).unwrap();
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            name: String,
        }
        diesel::RunQueryDsl::load::<Row>(
            diesel::sql_query("SELECT name FROM pragma_table_info('shop_notes')"),
            &mut conn,
        )
        .unwrap()
        .into_iter()
        .map(|r| r.name)
        .collect::<Vec<_>>()
    };
    // Waited for by what it does (a rebuild more or less, for a rewritten
    // Cargo.lock say, changes nothing here).
    wait_for("the migration to be applied", Duration::from_secs(300), || {
        columns(&dev_db) == ["id"]
    });
    wait_for("the server to serve it", Duration::from_secs(60), || {
        stdout
            .lock()
            .unwrap()
            .ends_with("cargo fastapp dev: serving the new build\n")
    });
    // The same build migrates another database: not a dev one.
    let binary = support::target_dir().join("debug/devmig");
    let other_db = root.path().join("other.db");
    let command = |args: &[&str]| {
        let mut command = Command::new(&binary);
        command
            .current_dir(&project)
            .args(args)
            .env("DATABASE_URL", &other_db)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        command
    };
    let (code, err) = within(Duration::from_secs(120), command(&["migrate"]).spawn().unwrap());
    assert_eq!(code, Some(0), "{err}");

    // Edited while still being written: the dev server comes back with the
    // edited migration applied, the database kept, and says what it did.
    let edited_at = stdout.lock().unwrap().len();
    let since_edit = |text: &str| stdout.lock().unwrap()[edited_at..].contains(text);
    std::fs::write(
        migration.join("up.sql"),
        "CREATE TABLE shop_notes (id TEXT PRIMARY KEY NOT NULL, body TEXT NOT NULL DEFAULT '');\n",
    )
    .unwrap();
    wait_for(
        "the edited migration to be applied",
        Duration::from_secs(300),
        || columns(&dev_db) == ["id", "body"] || since_edit("still serving the previous build"),
    );
    assert!(
        !since_edit("still serving the previous build"),
        "{}",
        everything()
    );
    wait_for("the server to say so", Duration::from_secs(60), || {
        since_edit("fastapp: dev: reverted migration 2030-01-01-000000_shop_create_notes of `core` (edited since `cargo fastapp dev` applied it)")
    });
    // The new server said so while starting; asked before dev has stopped
    // the old one, the request could still be answered by the old build.
    wait_for("dev to serve the new build", Duration::from_secs(60), || {
        since_edit("serving the new build")
    });
    let (status, items) = support::send(support::http().get(&format!("{base}/shop/items")), None);
    assert_eq!(
        (status, items[0]["name"].as_str()),
        (200, Some("kept")),
        "{items}"
    );

    // Anywhere else the edit is refused as always: `migrate`, and even a
    // `serve --dev` on a database no dev server migrated.
    for args in [&["migrate"][..], &["serve", "--dev", "--port", "0"]] {
        let (code, err) = within(Duration::from_secs(120), command(args).spawn().unwrap());
        assert_eq!(code, Some(1), "{args:?}: {err}");
        assert!(err.contains("[migration.E042]"), "{args:?}: {err}");
    }
    assert_eq!(columns(&other_db), ["id"]);

    let _ = Command::new("kill")
        .args(["-INT", &dev.0.id().to_string()])
        .status();
    assert!(dev.0.wait().unwrap().success());
}
