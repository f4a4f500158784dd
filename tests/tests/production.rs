//! What a load balancer and an operator rely on, over real HTTP:
//!
//! - `health_path` answers while the process does; `ready_path` names each
//!   check and its app, and turns 503 when an app's own check fails or a
//!   migration of this build is missing, 200 again when it is back (the
//!   database going away is in `faults.rs`, through a proxy it cuts);
//! - both are in `routes` (app `fastapp`) and the OpenAPI document;
//! - SIGTERM turns readiness 503 at once while requests are served through
//!   `drain_delay`, then the server stops; SIGINT does not wait;
//! - `/metrics` is Prometheus text a real parser reads, labelled by route
//!   pattern (a thousand distinct paths make a handful of label sets), with
//!   the pool's size from `db_pool_size`.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use support::{send, Server, TestDb};

/// The fixture project with its `selfmount` app (which has a readiness
/// check) serving in `dir`.
fn fixture_server(dir: &Path, env: &[(&str, &str)]) -> Server {
    let db = dir.join("fixture.db");
    let mut cmd = support::fixture_command(
        dir,
        "apps = [\"apps.selfmount\"]\n",
        &db,
        &["serve", "--port", "0"],
    );
    cmd.envs(env.iter().copied());
    Server::spawn(cmd)
}

fn check<'a>(body: &'a serde_json::Value, app: &str, name: &str) -> &'a serde_json::Value {
    body["checks"]
        .as_array()
        .and_then(|checks| checks.iter().find(|c| c["app"] == app && c["check"] == name))
        .unwrap_or_else(|| panic!("no check {app}/{name} in {body}"))
}

#[test]
fn health_and_readiness_name_each_check_and_an_apps_own_check_takes_the_server_out() {
    let dir = tempfile::tempdir().unwrap();
    let server = fixture_server(dir.path(), &[]);
    let agent = support::http();

    let (status, body) = send(agent.get(&server.url("/healthz")), None);
    assert_eq!((status, body), (200, serde_json::json!({ "status": "alive" })));

    let (status, body) = send(agent.get(&server.url("/readyz")), None);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "ready");
    for (app, name) in [
        ("fastapp", "database"),
        ("fastapp", "migrations"),
        ("selfmount", "marker"),
    ] {
        assert_eq!(check(&body, app, name)["ok"], true, "{body}");
    }

    // The app's check fails: 503, naming the app, the check and its error.
    std::fs::write(dir.path().join("selfmount-unready"), "").unwrap();
    let (status, body) = send(agent.get(&server.url("/readyz")), None);
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["status"], "unready");
    let marker = check(&body, "selfmount", "marker");
    assert_eq!(marker["ok"], false);
    assert_eq!(marker["error"], "the file selfmount-unready is there");
    assert_eq!(check(&body, "fastapp", "database")["ok"], true, "{body}");
    // Liveness does not depend on it.
    assert_eq!(send(agent.get(&server.url("/healthz")), None).0, 200);

    std::fs::remove_file(dir.path().join("selfmount-unready")).unwrap();
    let (status, body) = send(agent.get(&server.url("/readyz")), None);
    assert_eq!(status, 200, "ready again, same process: {body}");
    let (ok, _) = server.stop();
    assert!(ok, "exit 0 on SIGTERM");
}

#[test]
fn health_routes_are_listed_documented_and_their_paths_are_settings() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fixture.db");
    let config = "apps = [\"apps.selfmount\"]\n";
    let routes = support::succeeded(support::fixture(config, &db, &["routes"]));
    for route in ["GET\t/healthz\tfastapp", "GET\t/readyz\tfastapp"] {
        assert!(routes.lines().any(|l| l == route), "{route:?} listed:\n{routes}");
    }
    assert!(
        !routes.contains("/metrics"),
        "metrics are off by default:\n{routes}"
    );
    let document: serde_json::Value =
        serde_json::from_str(&support::succeeded(support::fixture(config, &db, &["openapi"]))).unwrap();
    for path in ["/healthz", "/readyz"] {
        let operation = &document["paths"][path]["get"];
        assert_eq!(
            operation["tags"],
            serde_json::json!(["fastapp"]),
            "{path}: {operation}"
        );
    }
    assert!(document["paths"]["/readyz"]["get"]["responses"]["503"].is_object());

    // Other paths, as settings: served there, and listed there.
    let env = [
        ("HEALTH_PATH", "/live"),
        ("READY_PATH", "/ops/ready"),
        ("METRICS", "true"),
    ];
    let routes = support::succeeded(support::fixture_in(config, &db, &["routes"], &env));
    for route in [
        "GET\t/live\tfastapp",
        "GET\t/ops/ready\tfastapp",
        "GET\t/metrics\tfastapp",
    ] {
        assert!(routes.lines().any(|l| l == route), "{route:?}:\n{routes}");
    }
    let server = fixture_server(dir.path(), &env);
    let agent = support::http();
    assert_eq!(send(agent.get(&server.url("/live")), None).0, 200);
    assert_eq!(send(agent.get(&server.url("/ops/ready")), None).0, 200);
    assert_eq!(send(agent.get(&server.url("/healthz")), None).0, 404);

    // A path fastapp serves itself, taken by an app's route: refused.
    let out = support::fixture_in(config, &db, &["check"], &[("READY_PATH", "/custom/hello")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("[route.E033] route `GET /custom/hello` of app `selfmount` is where fastapp's health, readiness or metrics route is served (setting `ready_path`)"),
        "{stderr}"
    );
}

#[test]
fn a_missing_migration_makes_the_server_unready_until_migrate_runs() {
    let db = TestDb::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let db_path = Path::new(&db.url);
    let server = Server::start(dir.path(), db_path);
    let agent = support::http();
    assert_eq!(send(agent.get(&server.url("/readyz")), None).0, 200);

    let out = support::example_command(dir.path(), db_path, &["migrate", "revert"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (status, body) = send(agent.get(&server.url("/readyz")), None);
    assert_eq!(status, 503, "{body}");
    let migrations = check(&body, "fastapp", "migrations");
    let error = migrations["error"].as_str().unwrap();
    assert!(
        error.starts_with("1 migration(s) pending: core 2024-01-01-000002_blog_create_posts"),
        "{error}"
    );

    let out = support::example_command(dir.path(), db_path, &["migrate"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(send(agent.get(&server.url("/readyz")), None).0, 200);
}

#[test]
fn sigterm_turns_readiness_off_at_once_and_serves_through_the_drain_delay() {
    let db = TestDb::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start_with(dir.path(), Path::new(&db.url), &[("DRAIN_DELAY", "3")]);
    let agent = support::http();
    assert_eq!(send(agent.get(&server.url("/readyz")), None).0, 200);

    let signalled = Instant::now();
    std::process::Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    // Readiness turns within a second (polled: the signal's delivery is not
    // the test's to time).
    let body = loop {
        let (status, body) = send(agent.get(&server.url("/readyz")), None);
        if status == 503 {
            break body;
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(1),
            "readiness still {status} 1 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(body["status"], "draining", "{body}");
    assert_eq!(check(&body, "fastapp", "draining")["ok"], false);
    // Requests are still answered on new connections, for the delay.
    while signalled.elapsed() < Duration::from_millis(2500) {
        let (status, body) = send(agent.get(&server.url("/blog/posts")), None);
        assert_eq!(status, 200, "served during the drain delay: {body}");
        std::thread::sleep(Duration::from_millis(100));
    }
    let status = server.exit_within(Duration::from_secs(10), "the server stops after the drain delay");
    assert!(status.success());
    assert!(
        signalled.elapsed() >= Duration::from_secs(3),
        "it served through the delay: {:?}",
        signalled.elapsed()
    );

    // SIGINT (a person's Ctrl-C) does not wait.
    let mut server = Server::start_with(dir.path(), Path::new(&db.url), &[("DRAIN_DELAY", "30")]);
    std::process::Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(server
        .exit_within(Duration::from_secs(10), "SIGINT skips the drain delay")
        .success());
}

#[test]
fn metrics_are_prometheus_text_labelled_by_route_pattern_with_bounded_label_sets() {
    let db = TestDb::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let env = [("METRICS", "true"), ("DB_POOL_SIZE", "3")];
    let server = Server::start_with(dir.path(), Path::new(&db.url), &env);
    let agent = support::http();
    // A thousand distinct paths: half a route with a parameter, half none.
    for i in 0..500 {
        assert_eq!(
            send(
                agent.get(&server.url(&format!("/blog/posts/{}", 100_000 + i))),
                None
            )
            .0,
            404
        );
        assert_eq!(
            send(agent.get(&server.url(&format!("/nothing/here/{i}"))), None).0,
            404
        );
    }
    assert_eq!(send(agent.get(&server.url("/blog/posts")), None).0, 200);
    // What the request guard refuses itself is counted too, by the route
    // the path matches.
    assert_eq!(send(agent.get(&server.url("/blog/posts/a%00b")), None).0, 400);
    assert_eq!(send(agent.get(&server.url("/nothing/a%00b")), None).0, 400);
    let response = agent.get(&server.url("/metrics")).call().unwrap();
    assert!(
        response.content_type().starts_with("text/plain"),
        "{}",
        response.content_type()
    );
    let text = response.into_string().unwrap();
    let samples = parse_prometheus(&text);
    let value = |sample: &serde_json::Value| sample["value"].as_f64().unwrap();
    let requests: Vec<&serde_json::Value> = samples
        .iter()
        .filter(|s| s["name"] == "fastapp_http_requests_total")
        .collect();
    let count = |app: &str, route: &str, status: &str| -> f64 {
        requests
            .iter()
            .filter(|s| s["labels"]["app"] == app && s["labels"]["route"] == route)
            .filter(|s| s["labels"]["status"] == status && s["labels"]["method"] == "GET")
            .map(|s| value(s))
            .sum()
    };
    assert_eq!(count("blog", "/blog/posts/{id}", "404"), 500.0, "{text}");
    assert_eq!(count("fastapp", "<unmatched>", "404"), 500.0, "{text}");
    assert_eq!(count("blog", "/blog/posts", "200"), 1.0, "{text}");
    assert_eq!(count("blog", "/blog/posts/{id}", "400"), 1.0, "{text}");
    assert_eq!(count("fastapp", "<unmatched>", "400"), 1.0, "{text}");
    assert!(
        requests.len() <= 6,
        "label sets stay bounded after 1,000 distinct paths: {} of them\n{text}",
        requests.len()
    );
    let latency_series = samples
        .iter()
        .filter(|s| s["name"] == "fastapp_http_request_duration_seconds_count")
        .count();
    assert!((1..=6).contains(&latency_series), "{text}");

    let one = |name: &str| {
        samples
            .iter()
            .find(|s| s["name"] == name)
            .map(value)
            .unwrap_or_else(|| panic!("no {name} in\n{text}"))
    };
    assert_eq!(
        one("fastapp_db_pool_size"),
        3.0,
        "db_pool_size is the pool's size"
    );
    assert!(one("fastapp_db_pool_connections") >= 1.0);
    assert!(one("fastapp_db_pool_in_use") <= 3.0);
    assert_eq!(one("fastapp_db_pool_waits_total"), 0.0);
    assert_eq!(
        one("fastapp_migrations_applied"),
        3.0,
        "two core migrations and the newsletter's"
    );
    let build = samples
        .iter()
        .find(|s| s["name"] == "fastapp_build_info")
        .unwrap();
    assert_eq!(build["labels"]["project"], "example_project");
    assert_eq!(value(build), 1.0);

    // Off by default.
    let plain = Server::start(dir.path(), Path::new(&db.url));
    assert_eq!(send(agent.get(&plain.url("/metrics")), None).0, 404);
}

/// Every sample of `text` as Prometheus' own Python client parses it
/// (Debian's `python3-prometheus-client`, which `scripts/test.sh` installs):
/// `[{"name", "labels", "value"}]`. A line it cannot parse fails the test.
fn parse_prometheus(text: &str) -> Vec<serde_json::Value> {
    use std::io::Write;
    const PARSE: &str = "import json, sys\n\
        from prometheus_client.parser import text_string_to_metric_families\n\
        out = [{'name': s.name, 'labels': s.labels, 'value': s.value}\n\
               for f in text_string_to_metric_families(sys.stdin.read()) for s in f.samples]\n\
        print(json.dumps(out))\n";
    let mut child = std::process::Command::new("/usr/bin/python3")
        .args(["-c", PARSE])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("Debian's python3 (scripts/test.sh installs python3-prometheus-client)");
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "prometheus_client cannot parse the metrics: {}\n{text}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_json_body_that_arrives_slowly_is_cut_at_request_timeout() {
    use std::io::{Read, Write};
    let db = TestDb::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with(dir.path(), Path::new(&db.url), &[("REQUEST_TIMEOUT", "1")]);
    let addr = server.base.trim_start_matches("http://").to_string();
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    // A head promising 100 bytes of JSON, then 10 of them, then nothing.
    stream
        .write_all(b"POST /blog/posts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"title\":")
        .unwrap();
    let sent = Instant::now();
    let mut answer = Vec::new();
    let mut buf = [0u8; 1024];
    while !String::from_utf8_lossy(&answer).contains("}") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
        }
    }
    let answer = String::from_utf8_lossy(&answer).to_lowercase();
    assert!(answer.starts_with("http/1.1 408"), "{answer}");
    assert!(answer.contains("content-type: application/json"), "{answer}");
    assert!(answer.contains("within request_timeout (1s)"), "{answer}");
    assert!(
        sent.elapsed() >= Duration::from_millis(900),
        "not before the timeout: {:?}",
        sent.elapsed()
    );
}

#[test]
fn errors_hyper_answers_itself_have_the_json_body_of_every_other_error() {
    use std::io::{Read, Write};
    let db = TestDb::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), Path::new(&db.url));
    let addr = server.base.trim_start_matches("http://").to_string();
    let many_headers: String = (0..200).map(|i| format!("X-H{i}: v\r\n")).collect();
    let long_uri = format!("/{}", "a".repeat(70_000));
    for (request, status, reason) in [
        (
            "GET /blog/posts HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n".to_string(),
            400,
            "bad request",
        ),
        (
            format!("GET /blog/posts HTTP/1.1\r\nHost: x\r\n{many_headers}\r\n"),
            431,
            "request header fields too large",
        ),
        (
            format!("GET {long_uri} HTTP/1.1\r\nHost: x\r\n\r\n"),
            414,
            "uri too long",
        ),
    ] {
        let mut stream = std::net::TcpStream::connect(&addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        let answer = String::from_utf8_lossy(&answer);
        let (head, body) = answer
            .split_once("\r\n\r\n")
            .unwrap_or_else(|| panic!("{answer}"));
        let head = head.to_lowercase();
        assert!(head.starts_with(&format!("http/1.1 {status}")), "{head}");
        assert!(head.contains("content-type: application/json"), "{head}");
        assert!(
            head.contains(&format!("content-length: {}", body.len())),
            "{head}"
        );
        let body: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(body, serde_json::json!({ "error": reason }));
    }
    // The server goes on answering.
    assert_eq!(send(support::http().get(&server.url("/blog/posts")), None).0, 200);
}
