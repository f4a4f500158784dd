//! A database password never appears in any command's output, log line or
//! error: every command of the example, at `RUST_LOG=debug`, with the
//! password in each form a URL can carry it (user info, `?password=`, a
//! libpq `key=value` string, percent-encoded), against a server that is
//! not there; and, when a PostgreSQL server is configured, the commands
//! that connect, against a real database whose role has that password.

mod support;

use std::path::Path;
use std::process::Stdio;

/// Distinctive, so that finding it anywhere is a leak.
const SECRET: &str = "Zq7xSecretPw41";

/// Every command, with arguments that reach its work.
const COMMANDS: &[&[&str]] = &[
    &["--help"],
    &["apps", "list"],
    &["apps", "list", "--verbose"],
    &["apps", "graph"],
    &["routes"],
    &["routes", "--json"],
    &["settings"],
    &["settings", "--json"],
    &["check"],
    &["check", "--json"],
    &["check", "--database"],
    &["openapi"],
    &["migrate"],
    &["migrate", "--check"],
    &["migrate", "core"],
    &["migrate", "app", "newsletter"],
    &["migrate", "status"],
    &["migrate", "status", "--json"],
    &["migrate", "preview"],
    &["migrate", "preview", "--json"],
    &["migrate", "revert"],
    &["migrate", "--to", "no_such_migration"],
    &["migrate", "resolve", "core", "2024-01-01-000001", "--applied"],
    &["makemigrations", "--check"],
    &["serve", "--port", "0"],
    &["serve", "--port", "0", "--no-migrate"],
];

/// Runs `args` with `DATABASE_URL=url` at debug level; asserts the secret
/// is in neither stream. Returns the exit code.
fn run_without_leak(dir: &Path, url: &str, args: &[&str]) -> Option<i32> {
    let out = support::example_command(dir, Path::new(url), args)
        .env("RUST_LOG", "debug")
        .env("DB_TIMEOUT", "1")
        .env("MIGRATE_LOCK_TIMEOUT", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    for (stream, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let text = String::from_utf8_lossy(text);
        assert!(
            !text.contains(SECRET),
            "`{}` with DATABASE_URL={url} printed the password on {stream}:\n{text}",
            args.join(" ")
        );
    }
    out.status.code()
}

#[test]
fn no_command_prints_the_password_of_an_unreachable_database() {
    // Port 1 on loopback: nothing listens, every connection is refused.
    let forms = [
        format!("postgres://app:{SECRET}@127.0.0.1:1/shop"),
        format!("postgresql://app:{SECRET}@127.0.0.1:1/shop?sslmode=disable"),
        format!("postgres://app@127.0.0.1:1/shop?password={SECRET}"),
        format!("postgres://app:{}@127.0.0.1:1/shop", SECRET.replace('S', "%53")),
        format!("host=127.0.0.1 port=1 user=app password={SECRET} dbname=shop"),
    ];
    let mut cases = 0;
    for url in &forms {
        let dir = tempfile::tempdir().unwrap();
        for args in COMMANDS {
            // A server that cannot start (nothing to connect to) fails; the
            // rest report and exit as they do.
            let code = run_without_leak(dir.path(), url, args);
            if args[0] == "serve" {
                assert_eq!(code, Some(1), "{args:?} with {url}");
            }
            cases += 1;
        }
    }
    support::tally("cases tried", cases);
}

/// A role of the test server with the secret password, allowed to create
/// tables in `db`, and `db`'s URL logging in as it; `None` (and the case
/// skipped) where the test role may not create roles.
fn secret_role(db: &support::TestDb) -> Option<(String, String)> {
    let role = format!("fastapp_secret_{}", std::process::id());
    let mut conn = fastapp_core::db::connect(&db.url).unwrap();
    let created = diesel::connection::SimpleConnection::batch_execute(
        &mut conn,
        // Membership lets the test role end the secret role's connections
        // when the test database is dropped (`WITH (FORCE)`): the server
        // may still hold the example's last connection after it exits, and
        // without superuser only a member of a role may terminate its backends.
        &format!(
            "CREATE ROLE {role} LOGIN PASSWORD '{SECRET}'; \
             GRANT {role} TO CURRENT_USER; \
             GRANT ALL ON SCHEMA public TO {role};"
        ),
    );
    if let Err(err) = created {
        assert!(
            std::env::var("FASTAPP_REQUIRE_POSTGRES").is_err(),
            "the test role cannot create roles ({err}); scripts/test.sh gives it CREATEROLE"
        );
        eprintln!("note: cannot create a role ({err}); the real-server secrets case is skipped");
        return None;
    }
    let url = db
        .url
        .replacen("://fastapp:fastapp@", &format!("://{role}:{SECRET}@"), 1);
    assert_ne!(
        url, db.url,
        "the test server URL has the form postgres://fastapp:fastapp@…"
    );
    Some((role, url))
}

#[test]
fn no_command_prints_the_password_of_a_real_database() {
    let Some(db) = support::TestDb::postgres() else {
        return;
    };
    let Some((role, url)) = secret_role(&db) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut cases = 0;
    for args in COMMANDS.iter().filter(|args| args[0] != "serve") {
        run_without_leak(dir.path(), &url, args);
        cases += 1;
    }
    // (`migrate revert` above took the newest core migration back.)
    assert_eq!(run_without_leak(dir.path(), &url, &["migrate"]), Some(0));
    assert_eq!(
        run_without_leak(dir.path(), &url, &["migrate", "--check"]),
        Some(0),
        "migrated as the secret role"
    );
    // A server with debug logs, answering a request, stopping.
    let mut child = support::example_command(dir.path(), Path::new(&url), &["serve", "--port", "0"])
        .env("RUST_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stdout));
    let base = loop {
        let line = lines.next().expect("listening line").unwrap();
        if let Some(base) = line.strip_prefix("fastapp: listening on ") {
            break base.to_string();
        }
    };
    let (status, _) = support::send(support::http().get(&format!("{base}/accounts/users")), None);
    assert_eq!(status, 200);
    std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("served"), "the debug log was on: {stderr}");
    assert!(
        !stderr.contains(SECRET) && !rest.join("\n").contains(SECRET),
        "{stderr}"
    );
    cases += 1;
    support::tally("cases tried", cases);
    // The role owns the database's tables: drop the database, then the role.
    // A connection of the role still open (as the server's may be, just
    // after the example exits) must not stop the drop.
    let held = fastapp_core::db::connect(&url).unwrap();
    drop(db);
    drop(held);
    let server = std::env::var("FASTAPP_TEST_POSTGRES").unwrap();
    let mut conn = fastapp_core::db::connect(&server).unwrap();
    diesel::connection::SimpleConnection::batch_execute(&mut conn, &format!("DROP ROLE {role}")).unwrap();
}
