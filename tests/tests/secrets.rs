//! A database password never appears in any command's output, log line,
//! error or child process's command line: every command of the example, at
//! `RUST_LOG=trace`, with the password in each form a URL can carry it
//! (user info; a `password` parameter in any case and encoding; a libpq
//! `key=value` string; percent-encoded; characters libpq cannot read
//! unencoded, which it quotes back in pieces), against a server that is
//! not there; and, when a PostgreSQL server is configured, the commands and
//! error paths that connect, against a real database whose role has that
//! password, with `serve` answering requests.

mod support;

use std::path::Path;
use std::process::Stdio;

/// Distinctive, so that finding it anywhere is a leak.
const SECRET: &str = "Zq7xSecretPw41";

/// The two halves of a password with a character libpq cannot read
/// unencoded between them (`Zq7xSec%retPw41`): libpq quotes pieces of it
/// back, so finding either half anywhere is a leak.
const HALVES: [&str; 2] = ["Zq7xSec", "retPw41"];

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

/// Runs `args` with `DATABASE_URL=url` at trace level; asserts the secret
/// (or either half of it) is in neither stream. Returns the exit code.
fn run_without_leak(dir: &Path, url: &str, args: &[&str]) -> Option<i32> {
    let out = support::example_command(dir, Path::new(url), args)
        .env("RUST_LOG", "trace")
        .env("DB_TIMEOUT", "1")
        .env("MIGRATE_LOCK_TIMEOUT", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    for (stream, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let text = String::from_utf8_lossy(text);
        assert_no_secret(
            &text,
            &format!("`{}` with DATABASE_URL={url}, on {stream}", args.join(" ")),
        );
    }
    out.status.code()
}

/// Neither the secret nor a half of it is in `text`.
fn assert_no_secret(text: &str, what: &str) {
    for needle in [SECRET, HALVES[0], HALVES[1]] {
        assert!(
            !text.contains(needle),
            "{what}: `{needle}` of the password is shown:\n{text}"
        );
    }
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
        // A password parameter in any case or encoding is the user's secret.
        format!("postgres://app@127.0.0.1:1/shop?PASSWORD={SECRET}"),
        format!("postgres://app@127.0.0.1:1/shop?sslmode=disable&Password={SECRET}"),
        format!("postgres://app@127.0.0.1:1/shop?pass%77ord={SECRET}&sslmode=bogus"),
        format!("postgres://app@127.0.0.1:1/shop?%70assword={SECRET}&x=1"),
    ];
    // Characters libpq cannot read in an unencoded password: it fails on
    // them and quotes the password, or a piece of it, back.
    let forms = forms.into_iter().chain("% /@#?:[".chars().flat_map(|c| {
        let password = format!("{}{c}{}", HALVES[0], HALVES[1]);
        [
            format!("postgres://app:{password}@127.0.0.1:1/shop"),
            format!("postgres://app@127.0.0.1:1/shop?password={password}"),
        ]
    }));
    let mut cases = 0;
    for url in &forms.collect::<Vec<_>>() {
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
            "CREATE ROLE {role} LOGIN CREATEDB PASSWORD '{SECRET}'; \
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
    // Error paths that reach the database, each exiting 1.
    let wrong_password = url.replacen(SECRET, &format!("{SECRET}x"), 1);
    let missing_database = format!("{}/fastapp_no_such_db", url.rsplit_once('/').unwrap().0);
    for (what, url, args) in [
        (
            "pending migrations and --no-migrate",
            url.as_str(),
            &["serve", "--port", "0", "--no-migrate"][..],
        ),
        ("a wrong password", wrong_password.as_str(), &["migrate"][..]),
        (
            "a wrong password",
            wrong_password.as_str(),
            &["check", "--database"][..],
        ),
        (
            "a database that does not exist",
            missing_database.as_str(),
            &["migrate", "status", "--json"][..],
        ),
        (
            "an app that does not exist",
            url.as_str(),
            &["migrate", "app", "no_such_app"][..],
        ),
        (
            "a migration that does not exist",
            url.as_str(),
            &["migrate", "--to", "no_such_migration"][..],
        ),
    ] {
        assert_eq!(
            run_without_leak(dir.path(), url, args),
            Some(1),
            "{what}: {args:?}"
        );
        cases += 1;
    }
    assert_eq!(run_without_leak(dir.path(), &url, &["migrate"]), Some(0));
    // `makemigrations --check` runs the diesel CLI against a scratch
    // database: the password goes in the child's environment, never on its
    // command line (which `ps` shows). A stand-in `diesel` first on PATH
    // writes down its command line, then runs the real one.
    let shim = tempfile::tempdir().unwrap();
    let argv_log = shim.path().join("argv");
    let real = support::diesel_command(dir.path()).get_program().to_owned();
    let real = which(&real);
    std::fs::write(
        shim.path().join("diesel"),
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$0\" \"$@\" >> '{}'\nexec '{}' \"$@\"\n",
            argv_log.display(),
            real.display()
        ),
    )
    .unwrap();
    let mut perms = std::fs::metadata(shim.path().join("diesel"))
        .unwrap()
        .permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(shim.path().join("diesel"), perms).unwrap();
    let mut path = vec![shim.path().to_path_buf()];
    path.extend(std::env::split_paths(&support::path_with_tools()));
    let out = support::example_command(dir.path(), Path::new(&url), &["makemigrations", "--check"])
        .env("RUST_LOG", "trace")
        .env("PATH", std::env::join_paths(path).unwrap())
        .env("FASTAPP_SOURCE_ROOT", support::example_dir())
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_no_secret(&said, "makemigrations --check");
    let argv =
        std::fs::read_to_string(&argv_log).unwrap_or_else(|_| panic!("the diesel CLI never ran:\n{said}"));
    assert!(argv.contains("print-schema"), "{argv}");
    assert_no_secret(&argv, "the diesel CLI's command line");
    cases += 1;
    assert_eq!(
        run_without_leak(dir.path(), &url, &["migrate", "--check"]),
        Some(0),
        "migrated as the secret role"
    );
    // A server with trace logs, answering requests, stopping, with the
    // password in each form libpq reads from a URL.
    let (user, host) = url.split_once(&format!(":{SECRET}@")).unwrap();
    for url in [
        url.clone(),
        format!("{user}@{host}?password={SECRET}"),
        format!("{user}:{}@{host}", SECRET.replace('S', "%53")),
    ] {
        serve_without_leak(dir.path(), &url);
        cases += 1;
    }
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

/// `serve` at trace level against `url`: answers a request that reads the
/// database, stops on SIGTERM, and prints the password nowhere.
fn serve_without_leak(dir: &Path, url: &str) {
    let log = dir.join("serve.err");
    let child = support::example_command(dir, Path::new(url), &["serve", "--port", "0"])
        .env("RUST_LOG", "trace")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    // Killed however the test ends.
    let mut child = support::KillOnDrop(child);
    let stdout = child.0.stdout.take().unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stdout));
    let base = loop {
        let line = lines.next().expect("listening line").unwrap();
        if let Some(base) = line.strip_prefix("fastapp: listening on ") {
            break base.to_string();
        }
    };
    let (status, _) = support::send(support::http().get(&format!("{base}/accounts/users")), None);
    assert_eq!(status, 200, "{url}");
    std::process::Command::new("kill")
        .args(["-TERM", &child.0.id().to_string()])
        .status()
        .unwrap();
    child.0.wait().unwrap();
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let stderr = std::fs::read_to_string(&log).unwrap();
    assert!(stderr.contains("served"), "the trace log was on: {stderr}");
    assert_no_secret(&stderr, &format!("serve's stderr with {url}"));
    assert_no_secret(&rest.join("\n"), &format!("serve's stdout with {url}"));
}

/// `program` as found on the tests' PATH.
fn which(program: &std::ffi::OsStr) -> std::path::PathBuf {
    let program = Path::new(program);
    if program.is_absolute() {
        return program.to_path_buf();
    }
    std::env::split_paths(&support::path_with_tools())
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| panic!("{} is not on PATH", program.display()))
}
