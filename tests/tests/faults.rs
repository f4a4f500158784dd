//! Faults, and what survives them.
//!
//! - While serving: the example on PostgreSQL through a loopback TCP proxy
//!   that the test cuts (every connection dropped, new ones refused) and
//!   restores. Requests answer 503 with a JSON body while the database is
//!   gone, within `db_timeout`, and succeed again once it is back, without
//!   a restart; `/readyz` is 503 naming the `database` check meanwhile, and
//!   200 again after. (PostgreSQL only: it is the backend that can go away.)
//! - While migrating, on both backends: `migrate` SIGKILLed inside a
//!   migration, while recording it, and between migrations (the fixture
//!   project's fault points stop it there); the next run finds a consistent
//!   database and completes.

mod support;

use std::io::{BufRead, BufReader};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use support::{send, TestDb};

/// Forwards loopback connections to `target` until cut.
struct Proxy {
    port: u16,
    up: Arc<AtomicBool>,
    live: Arc<Mutex<Vec<TcpStream>>>,
}

impl Proxy {
    fn start(target: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(true));
        let live = Arc::new(Mutex::new(Vec::new()));
        let (up2, live2) = (up.clone(), live.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                if !up2.load(Ordering::SeqCst) {
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                }
                let Ok(server) = TcpStream::connect(&target) else {
                    continue;
                };
                let mut live = live2.lock().unwrap();
                live.push(client.try_clone().unwrap());
                live.push(server.try_clone().unwrap());
                for (mut from, mut to) in [
                    (client.try_clone().unwrap(), server.try_clone().unwrap()),
                    (server, client),
                ] {
                    std::thread::spawn(move || {
                        let _ = std::io::copy(&mut from, &mut to);
                        let _ = to.shutdown(Shutdown::Both);
                    });
                }
            }
        });
        Proxy { port, up, live }
    }

    /// The database goes away: live connections drop, new ones are refused.
    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        for stream in self.live.lock().unwrap().drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

#[test]
fn the_database_going_away_is_503_and_coming_back_needs_no_restart() {
    let Some(db) = TestDb::postgres() else {
        eprintln!("skipped: FASTAPP_TEST_POSTGRES is not set");
        return;
    };
    // postgres://user:pass@host:port/name → the same through the proxy.
    let (head, rest) = db.url.split_once('@').unwrap();
    let (authority, name) = rest.split_once('/').unwrap();
    let proxy = Proxy::start(authority.to_string());
    let url = format!("{head}@127.0.0.1:{}/{name}", proxy.port);

    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(support::example_binary())
        .env("DRAIN_DELAY", "0")
        .current_dir(dir.path())
        .args(["serve", "--port", "0"])
        .env("DATABASE_URL", &url)
        .env("DB_TIMEOUT", "1")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = loop {
        let line = lines.next().expect("the server says where it listens").unwrap();
        if let Some(url) = line.strip_prefix("fastapp: listening on ") {
            break url.trim().to_string();
        }
    };
    let agent = support::http();
    let get = || send(agent.get(&format!("{base}/blog/posts")), None);
    assert_eq!(get().0, 200);

    proxy.cut();
    for _ in 0..3 {
        let started = Instant::now();
        let (status, body) = get();
        assert_eq!(status, 503, "{body}");
        assert_eq!(body, serde_json::json!({ "error": "database unavailable" }));
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "answered within db_timeout: {:?}",
            started.elapsed()
        );
    }

    // Readiness says so, naming the check, within its one-second deadline.
    let started = Instant::now();
    let (status, body) = send(agent.get(&format!("{base}/readyz")), None);
    assert_eq!(status, 503, "{body}");
    let database = body["checks"]
        .as_array()
        .and_then(|checks| checks.iter().find(|c| c["check"] == "database"))
        .unwrap_or_else(|| panic!("{body}"));
    assert_eq!(
        (&database["app"], &database["ok"]),
        (&serde_json::json!("fastapp"), &serde_json::json!(false)),
        "{body}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        send(agent.get(&format!("{base}/healthz")), None).0,
        200,
        "alive all the same"
    );

    proxy.restore();
    let deadline = Instant::now() + Duration::from_secs(10);
    let ready = loop {
        let (status, _) = send(agent.get(&format!("{base}/readyz")), None);
        if status == 200 || Instant::now() > deadline {
            break status;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(ready, 200, "ready again once the database is back, same process");
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        let (status, _) = get();
        if status == 200 || Instant::now() > deadline {
            break status;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(
        status, 200,
        "serves again once the database is back, same process"
    );
    assert_eq!(child.try_wait().unwrap(), None, "never restarted");

    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("database unavailable"),
        "a log line says why: {stderr}"
    );
    let password = head.rsplit(':').next().unwrap();
    assert!(
        !stderr.contains(&format!(":{password}@")),
        "no password in logs: {stderr}"
    );
}

/// Runs the fixture's `migrate` with `FASTAPP_FAULT=point` until it stops
/// there, then SIGKILLs it.
fn kill_migrate_at(db: &TestDb, config: &str, args: &[&str], point: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut child = support::fixture_command(dir.path(), config, std::path::Path::new(&db.url), args)
        .env("FASTAPP_FAULT", point)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut seen = String::new();
    for line in BufReader::new(child.stderr.take().unwrap()).lines() {
        let line = line.unwrap();
        seen.push_str(&line);
        seen.push('\n');
        if line.contains("fault point") {
            break;
        }
    }
    assert!(
        seen.contains(&format!("fault point {point} reached")),
        "{}: migrate never reached {point}:\n{seen}",
        db.backend
    );
    child.kill().unwrap(); // SIGKILL: no destructor, no rollback by the client
    child.wait().unwrap();
}

/// What the database holds of core's two fixture migrations and the
/// newsletter's one: (recorded versions, tables present, seed rows).
fn migrated_state(db: &TestDb) -> (Vec<String>, Vec<String>, usize) {
    let tables = db.tables();
    let mut versions = Vec::new();
    for table in ["__diesel_schema_migrations", "__fastapp_migrations_newsletter"] {
        if tables.iter().any(|t| t == table) {
            versions.extend(db.strings(&format!("SELECT version AS v FROM {table} ORDER BY version")));
        }
    }
    versions.sort();
    let seeds = if tables.iter().any(|t| t == "items") {
        db.strings("SELECT name AS v FROM items").len()
    } else {
        0
    };
    let ours = tables
        .into_iter()
        .filter(|t| t == "items" || t == "subscribers")
        .collect();
    (versions, ours, seeds)
}

#[test]
fn migrate_killed_at_any_point_leaves_a_consistent_database_and_the_next_run_completes() {
    const CONFIG: &str = "apps = [\"newsletter\"]\n";
    let mut survived = 0;
    // Each point's first stop is in core's first migration (create_items)
    // or, for `committed`, right after it.
    for (point, expected) in [
        ("migrate.ran", (vec![], vec![], 0)),
        ("migrate.recorded", (vec![], vec![], 0)),
        (
            "migrate.committed",
            (vec!["20240201000001".to_string()], vec!["items".to_string()], 0),
        ),
    ] {
        for db in support::backends() {
            let url = std::path::Path::new(&db.url);
            if db.backend == "sqlite" {
                db.execute("SELECT 1"); // the file exists, so `tables()` can open it
            }
            kill_migrate_at(&db, CONFIG, &["migrate"], point);
            assert_eq!(migrated_state(&db), expected, "{}: killed at {point}", db.backend);
            let out = support::fixture(CONFIG, url, &["migrate"]);
            assert!(
                out.status.success(),
                "{}: after {point}: {}",
                db.backend,
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(
                migrated_state(&db),
                (
                    vec![
                        "20240101000001".into(),
                        "20240201000001".into(),
                        "20240201000002".into()
                    ],
                    vec!["items".into(), "subscribers".into()],
                    1
                ),
                "{}: completed after {point}",
                db.backend
            );
            survived += 1;
        }
    }
    // Outside a transaction (PostgreSQL's CREATE INDEX CONCURRENTLY): killed
    // after the index was built, before it was recorded. The next run knows
    // it was cut off and asks; told it is applied, it is done.
    if let Some(db) = TestDb::postgres() {
        const ONLINE: &str = "apps = [\"fx_online\"]\n";
        let url = std::path::Path::new(&db.url);
        let to = [
            "migrate",
            "app",
            "fx_online",
            "--to",
            "2024-03-01-000001_create_gadgets",
        ];
        assert!(support::fixture(ONLINE, url, &to).status.success());
        kill_migrate_at(&db, ONLINE, &["migrate", "app", "fx_online"], "migrate.ran");
        let out = support::fixture(ONLINE, url, &["migrate"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains("[migration.E054] migration 2024-03-01-000002_index_gadget_codes of `fx_online` did not finish")
                && stderr.contains("was cut off"),
            "{stderr}"
        );
        let resolve = [
            "migrate",
            "resolve",
            "fx_online",
            "2024-03-01-000002_index_gadget_codes",
            "--applied",
        ];
        assert!(support::fixture(ONLINE, url, &resolve).status.success());
        let out = support::fixture(ONLINE, url, &["migrate", "app", "fx_online"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("nothing to do"));
        survived += 1;
    }
    support::tally("faults survived", survived);
}
