//! End-to-end: the example project on a fresh SQLite file, over real HTTP on
//! loopback, and its database checked with SQL.

mod support;

use serde_json::json;
use support::{backends, http, send, Server, TestDb};

#[test]
fn example_serves_all_apps_and_migrates_both_kinds() {
    for db in backends() {
        serves_all_apps(&db);
    }
}

fn serves_all_apps(db: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), std::path::Path::new(&db.url));
    let agent = http();

    // accounts (internal): create a user.
    let (status, user) = send(
        agent.post(&server.url("/accounts/users")),
        Some(json!({"username": "ada", "email": "ada@example.com"})),
    );
    assert_eq!(status, 201, "{user}");
    let user_id = user["id"].as_str().unwrap().to_string();
    assert_eq!(user["username"], "ada");

    // A duplicate username is a conflict, not a 500, naming the field (the
    // same words on each backend), not the constraint.
    let (status, body) = send(
        agent.post(&server.url("/accounts/users")),
        Some(json!({"username": "ada", "email": "other@example.com"})),
    );
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"], "`username` is taken", "{}", db.backend);

    // Paging: ?limit= overrides the site's page_size (20, from fastapp.toml).
    let (status, _) = send(
        agent.post(&server.url("/accounts/users")),
        Some(json!({"username": "bob", "email": "bob@example.com"})),
    );
    assert_eq!(status, 201);
    let (_, all) = send(agent.get(&server.url("/accounts/users")), None);
    assert_eq!(all.as_array().unwrap().len(), 2);
    let (_, one) = send(agent.get(&server.url("/accounts/users?limit=1&offset=1")), None);
    assert_eq!(one.as_array().unwrap().len(), 1);

    // blog (internal): a post for that user, across apps by foreign key.
    let (status, post) = send(
        agent.post(&server.url("/blog/posts")),
        Some(json!({"author_id": user_id, "title": "Hello", "body": "First post"})),
    );
    assert_eq!(status, 201, "{post}");
    assert_eq!(post["author_id"], user_id.as_str());

    // A post for a user that does not exist is rejected by the foreign key,
    // said without the constraint's name or the backend's words.
    let (status, body) = send(
        agent.post(&server.url("/blog/posts")),
        Some(json!({"author_id": "no-such-user", "title": "Orphan", "body": "x"})),
    );
    assert_eq!(status, 422, "{body}");
    let said = body["error"].as_str().unwrap();
    assert!(
        said.contains("refers to a row that does not exist")
            || said.contains("points to a row that does not exist"),
        "{said}"
    );
    assert!(
        !said.contains("constraint") && !said.contains("fkey") && !said.contains("no-such-user"),
        "{said}"
    );

    // List posts: joined with their author from the accounts app.
    let (status, posts) = send(agent.get(&server.url("/blog/posts")), None);
    assert_eq!(status, 200);
    let posts = posts.as_array().unwrap();
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0]["title"], "Hello");
    assert_eq!(posts[0]["author"], "ada");

    let (status, one) = send(
        agent.get(&server.url(&format!("/blog/posts/{}", post["id"].as_str().unwrap()))),
        None,
    );
    assert_eq!((status, &one["title"]), (200, &json!("Hello")));
    let (status, _) = send(agent.get(&server.url("/blog/posts/9999")), None);
    assert_eq!(status, 404);

    // newsletter (external crate): its own routes and table.
    let (status, sub) = send(
        agent.post(&server.url("/newsletter/subscribers")),
        Some(json!({"email": "reader@example.com"})),
    );
    assert_eq!(status, 201, "{sub}");
    assert_eq!(sub["topic"], "all");
    let (status, subs) = send(agent.get(&server.url("/newsletter/subscribers")), None);
    assert_eq!(status, 200);
    assert_eq!(subs.as_array().unwrap().len(), 1);

    let (clean, said) = server.stop();
    assert!(clean, "the server exits cleanly on SIGTERM");
    assert!(said.contains("fastapp: stopped"), "{said}");

    // Both kinds of migrations, each in its own version table.
    let tables = db.tables();
    for table in [
        "__diesel_schema_migrations",
        "__fastapp_migrations_newsletter",
        "posts",
        "subscribers",
        "users",
    ] {
        assert!(
            tables.iter().any(|t| t == table),
            "missing table {table} in {tables:?} ({})",
            db.backend
        );
    }
    let core = db.strings("SELECT version AS v FROM __diesel_schema_migrations ORDER BY version");
    assert_eq!(core, ["20240101000001", "20240101000002"]);
    let newsletter = db.strings("SELECT version AS v FROM __fastapp_migrations_newsletter");
    assert_eq!(newsletter, ["20240101000001"]);
}

#[test]
fn restarting_applies_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("again.db");
    let first = support::example_command(dir.path(), &db, &["migrate"])
        .output()
        .unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let first = String::from_utf8(first.stdout).unwrap();
    assert!(
        first.contains("applied core 2024-01-01-000001_accounts_create_users"),
        "{first}"
    );
    assert!(
        first.contains("applied newsletter 2024-01-01-000001_create_subscribers"),
        "{first}"
    );
    // Core's migrations run before the external app's.
    assert!(first.find("applied core").unwrap() < first.find("applied newsletter").unwrap());

    let second = support::example_command(dir.path(), &db, &["migrate"])
        .output()
        .unwrap();
    assert!(second.status.success());
    assert_eq!(String::from_utf8(second.stdout).unwrap().trim(), "nothing to do");
}

#[test]
fn a_nul_character_gets_the_same_400_on_every_backend() {
    let mut answers = Vec::new();
    for db in backends() {
        let dir = tempfile::tempdir().unwrap();
        let server = Server::start(dir.path(), std::path::Path::new(&db.url));
        let agent = http();
        let body = send(
            agent.post(&server.url("/accounts/users")),
            Some(json!({"username": "a\u{0}b", "email": "nul@example.com"})),
        );
        let path = send(agent.get(&server.url("/blog/posts/a%00b")), None);
        let query = send(agent.get(&server.url("/blog/posts?limit=1%00")), None);
        // An escaped backslash before "u0000" is text, not a NUL: accepted.
        let text = send(
            agent.post(&server.url("/accounts/users")),
            Some(json!({"username": "a\\u0000b", "email": "text@example.com"})),
        );
        assert_eq!(text.0, 201, "{}: {}", db.backend, text.1);
        // Nothing with a NUL was stored.
        let stored = db.strings("SELECT username AS v FROM users");
        assert_eq!(stored, ["a\\u0000b"], "{}", db.backend);
        answers.push((db.backend, body, path, query));
        server.stop();
    }
    for (backend, body, path, query) in &answers {
        for (status, json) in [body, path, query] {
            assert_eq!(*status, 400, "{backend}: {json}");
            assert!(
                json["error"].as_str().unwrap().contains("NUL character"),
                "{backend}: {json}"
            );
        }
    }
    let first = &answers[0];
    for other in &answers[1..] {
        assert_eq!(
            (&first.1, &first.2, &first.3),
            (&other.1, &other.2, &other.3),
            "same answer on each backend"
        );
    }
}

/// Media types are case-insensitive: a NUL behind `Application/JSON` is the
/// same 400 and nothing is stored; a malformed chunked body is a 400 (the
/// client's fault), not a 413.
#[test]
fn a_nul_behind_any_case_of_json_and_a_malformed_chunk_are_400s() {
    use std::io::{Read, Write};
    for db in backends() {
        let dir = tempfile::tempdir().unwrap();
        let server = Server::start(dir.path(), std::path::Path::new(&db.url));
        let answer = http()
            .post(&server.url("/accounts/users"))
            .set("Content-Type", "Application/JSON; charset=UTF-8")
            .send_string(r#"{"username": "a\u0000c", "email": "case@example.com"}"#);
        let (status, response) = match answer {
            Err(ureq::Error::Status(status, response)) => (status, response),
            other => panic!("{}: accepted a NUL: {other:?}", db.backend),
        };
        assert_eq!(status, 400, "{}", db.backend);
        assert!(response.into_string().unwrap().contains("NUL character"));
        assert!(
            db.strings("SELECT username AS v FROM users").is_empty(),
            "{}",
            db.backend
        );

        let address = server.base.trim_start_matches("http://").to_string();
        let mut stream = std::net::TcpStream::connect(&address).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(60)))
            .unwrap();
        stream
            .write_all(
                b"POST /accounts/users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
                  Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\n{\"a\":\r\nzz\r\n",
            )
            .unwrap();
        let mut reply = String::new();
        let _ = stream.read_to_string(&mut reply);
        assert!(reply.starts_with("HTTP/1.1 400"), "{}: {reply}", db.backend);
        assert!(reply.contains("could not be read"), "{}: {reply}", db.backend);
        server.stop();
    }
}

/// A handler that panics answers a JSON 500 (not a dropped connection), the
/// server keeps serving, and the log has one line naming the app, the route
/// and the message: no "thread panicked" text, no backtrace, even with
/// RUST_BACKTRACE=1.
#[test]
fn a_panicking_handler_answers_a_json_500_and_logs_one_line() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("panicky.db");
    let mut child = support::fixture_command(
        dir.path(),
        "apps = [\"apps.panicky\"]\n",
        &db,
        &["serve", "--port", "0"],
    )
    .env("RUST_BACKTRACE", "1")
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped())
    .spawn()
    .unwrap();
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut child = support::KillOnDrop(child);
    let mut lines = BufReader::new(stdout).lines();
    let base = loop {
        let line = lines.next().expect("the server says where it listens").unwrap();
        if let Some(url) = line.strip_prefix("fastapp: listening on ") {
            break url.trim().to_string();
        }
    };
    let agent = http();
    // In the handler, and in its database work on a blocking thread.
    for path in ["/panicky/orders/7", "/panicky/in-db"] {
        let response = agent.get(&format!("{base}{path}")).call();
        let Err(ureq::Error::Status(500, response)) = response else {
            panic!("{path}: a 500, not a dropped connection: {response:?}");
        };
        assert_eq!(response.content_type(), "application/json");
        let body: serde_json::Value = response.into_json().unwrap();
        assert_eq!(body, json!({"error": "internal server error"}), "{path}");
    }
    // The server still serves.
    let (status, _) = send(agent.get(&format!("{base}/panicky/fine")), None);
    assert_eq!(status, 200);

    let _ = std::process::Command::new("kill")
        .args(["-TERM", &child.0.id().to_string()])
        .status();
    assert!(child.0.wait().unwrap().success());
    let log: Vec<String> = BufReader::new(stderr).lines().map_while(Result::ok).collect();
    let panicked: Vec<&String> = log.iter().filter(|l| l.contains("panicked")).collect();
    assert_eq!(panicked.len(), 2, "one line for each panic: {log:#?}");
    for (line, parts) in [
        (
            panicked[0],
            ["route=\"/panicky/orders/{id}\"", "index out of bounds"],
        ),
        (
            panicked[1],
            ["route=\"/panicky/in-db\"", "the query builder gave up"],
        ),
    ] {
        for part in parts
            .iter()
            .chain(&["app=\"panicky\"", "method=GET", "src/apps/panicky/mod.rs:"])
        {
            assert!(line.contains(part), "`{part}` in {line}");
        }
    }
    assert!(
        !log.iter()
            .any(|l| l.contains("stack backtrace") || l.contains("thread '")),
        "no hook text: {log:#?}"
    );
}
