//! The bad-input corpus: one table of wrong configs, `.env` files,
//! settings, app sets, migrations, route clashes and command lines, run
//! through the real binaries against a migrated database on each backend.
//! Every case must exit 1 with its rule id, a location (`-->`), a fix
//! (`= fix:`), no panic or backtrace, and leave the database exactly as it
//! was (a logical dump before and after: SQLite's schema and rows,
//! PostgreSQL's `pg_dump`).

mod support;

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::{backends, TestDb};

/// Which binary a case runs, and with what `fastapp.toml`.
#[derive(Clone, Copy)]
enum Project {
    /// The fixture project with this config (through FASTAPP_CONFIG).
    Fixture(&'static str),
    /// The example, as built.
    Example,
}

struct Case {
    name: &'static str,
    project: Project,
    /// Files written into the working directory first (`<dir>`: a directory).
    files: Vec<(&'static str, &'static str)>,
    env: Vec<(&'static str, String)>,
    args: Vec<String>,
    /// The rule id expected.
    id: &'static str,
    /// Text expected on a `-->` location line.
    at: &'static str,
}

fn case(name: &'static str, project: Project, args: &[&str], id: &'static str, at: &'static str) -> Case {
    Case {
        name,
        project,
        files: Vec::new(),
        env: Vec::new(),
        args: args.iter().map(|a| a.to_string()).collect(),
        id,
        at,
    }
}

impl Case {
    fn file(mut self, name: &'static str, text: &'static str) -> Case {
        self.files.push((name, text));
        self
    }

    fn env(mut self, key: &'static str, value: impl Into<String>) -> Case {
        self.env.push((key, value.into()));
        self
    }
}

use Project::{Example, Fixture};

/// An environment variable the case removes.
const UNSET: &str = "<unset>";

const NEWSLETTER: &str = "apps = [\"newsletter\"]\n";
const BROKEN: &str = "apps = [\"newsletter\", \"fx_broken\"]\n";

/// The corpus; `taken` is a port something already listens on.
#[rustfmt::skip]
fn corpus(taken: u16) -> Vec<Case> {
    let taken = taken.to_string();
    let serve = &["serve", "--port", "0"][..];
    vec![
        // fastapp.toml
        case("toml syntax", Fixture("apps = [\n"), &["migrate"], "config.E034", "fastapp.toml:1:9"),
        case("unknown top-level key", Fixture("appz = []\n"), &["migrate"], "config.E034", "fastapp.toml:1:1"),
        case("misspelt table", Fixture("apps = []\n[migrations]\norder = []\n"), &["migrate"], "config.E034", "fastapp.toml:2"),
        case("apps not a list", Fixture("apps = \"newsletter\"\n"), &["migrate"], "config.E034", "fastapp.toml:1:8"),
        case("unknown app", Fixture("apps = [\"apps.nope\"]\n"), &["migrate"], "app.E010", "fastapp.toml:1"),
        case("app listed twice", Fixture("apps = [\n\"apps.alpha\",\n\"apps.alpha\",\n]\n"), &["migrate"], "app.E012", "fastapp.toml:3"),
        case("illegal app name", Fixture("apps = [\"apps.Bad\"]\n"), &["migrate"], "app.E014", "fastapp.toml:1"),
        case("two apps one name", Fixture("apps = [\"apps.newsletter\", \"newsletter\"]\n"), &["migrate"], "app.E013", "fastapp.toml:1"),
        case("prefix without slash", Fixture("apps = [\"apps.alpha\"]\n[app.alpha]\nprefix = \"alpha/\"\n"), &["migrate"], "app.E015", "fastapp.toml:3"),
        case("prefix with a parameter", Fixture("apps = [\"apps.alpha\"]\n[app.alpha]\nprefix = \"/{tenant}\"\n"), serve, "app.E015", "fastapp.toml:3"),
        case("prefix with a space", Fixture("apps = [\"apps.alpha\"]\n[app.alpha]\nprefix = \"/news letter\"\n"), serve, "app.E015", "fastapp.toml:3"),
        case("prefix wildcard", Fixture("apps = [\"apps.alpha\"]\n[app.alpha]\nprefix = \"/{*x}\"\n"), serve, "app.E015", "fastapp.toml:3"),
        case("prefix of dot segments", Fixture("apps = [\"apps.alpha\"]\n[app.alpha]\nprefix = \"/news/../x\"\n"), serve, "app.E015", "fastapp.toml:3"),
        case("prefix of one dot", Fixture("apps = [\"apps.alpha\"]\n[app.alpha]\nprefix = \"/.\"\n"), serve, "app.E015", "fastapp.toml:3"),
        case("table for an unlisted app", Fixture("apps = []\n[app.ghost]\nprefix = \"/g\"\n"), &["migrate"], "config.E035", "fastapp.toml:2"),
        case("migration order misses an owner", Fixture("apps = [\"newsletter\"]\n[migration]\norder = [\"newsletter\"]\n"), &["migrate"], "config.E036", "fastapp.toml:3"),
        case("silence an unknown id", Fixture("apps = []\n[check]\nsilence = [\"app.W01\"]\n"), &["check"], "check.E070", "fastapp.toml:3"),
        case("silence an error", Fixture("apps = []\n[check]\nsilence = [\"route.E016\"]\n"), &["check"], "check.E071", "fastapp.toml:3"),
        case("dependency cycle", Fixture("apps = [\"apps.cyc_a\", \"apps.cyc_b\"]\n"), serve, "graph.E018", "cyc_"),
        // Apps that do not fit together
        case("route collision", Fixture("apps = [\"apps.alpha\", \"apps.beta\"]\n[app.beta]\nprefix = \"/alpha\"\n"), serve, "route.E016", "(alpha)"),
        case("parameter names differ", Fixture("apps = [\"apps.alpha\", \"apps.epsilon\"]\n[app.epsilon]\nprefix = \"/alpha\"\n"), serve, "route.E017", "(epsilon)"),
        case("register fails", Fixture("apps = [\"apps.gamma\"]\n"), serve, "app.E011", "gamma"),
        case("register panics", Fixture("apps = [\"apps.delta\"]\n"), serve, "app.E011", "delta"),
        case("two models one table", Fixture("apps = [\"apps.own_a\", \"apps.own_b\"]\n"), serve, "model.E019", "table things"),
        case("openapi component conflict", Fixture("apps = [\"apps.doc_a\", \"apps.doc_b\"]\n"), serve, "openapi.E072", "doc_"),
        case("app route at the docs path", Fixture("apps = [\"apps.doc_a\"]\n"), serve, "openapi.E073", "doc_a").env("DOCS_PATH", "/doc_a/items"),
        case("document path shadowing an app route", Example, serve, "openapi.E073", "GET /blog/posts/{id} (blog)").env("OPENAPI_PATH", "/blog/posts/x"),
        case("health path shadowing an app route", Example, serve, "route.E033", "GET /accounts/users/{id} (accounts)").env("HEALTH_PATH", "/accounts/users/healthz"),
        case("external table in schema.rs", Fixture(BROKEN), &["check"], "schema.E022", "widgets"),
        case("start-up hook fails", Fixture("apps = [\"apps.zeta\"]\n"), serve, "app.E023", "zeta"),
        // Settings in fastapp.toml
        case("port not a number", Fixture("apps = []\n[settings]\nport = \"abc\"\n"), &["migrate"], "settings.E020", "fastapp.toml:3:8 (port)"),
        case("port out of range", Fixture("apps = []\n[settings]\nport = 70000\n"), &["migrate"], "settings.E020", "fastapp.toml:3:8 (port)"),
        case("debug not a bool", Fixture("apps = []\n[settings]\ndebug = \"yes\"\n"), &["migrate"], "settings.E020", "fastapp.toml:3:9 (debug)"),
        case("db_timeout zero", Fixture("apps = []\n[settings]\ndb_timeout = 0\n"), &["migrate"], "settings.E020", "fastapp.toml:3:14 (db_timeout)"),
        case("in-memory database", Fixture("apps = []\n[settings]\ndatabase_url = \":memory:\"\n"), &["migrate"], "settings.E020", "fastapp.toml:3:16 (database_url)").env("DATABASE_URL", UNSET),
        case("docs path not a path", Fixture("apps = []\n[settings]\ndocs_path = \"docs\"\n"), &["migrate"], "settings.E020", "fastapp.toml:3:13 (docs_path)"),
        case("docs and document on one path", Fixture("apps = []\n[settings]\ndocs_path = \"/openapi.json\"\n"), &["migrate"], "settings.E020", "fastapp.toml:3:13 (docs_path)"),
        case("body_limit negative", Fixture("apps = []\n[settings]\nbody_limit = -1\n"), &["migrate"], "settings.E020", "fastapp.toml:3:14 (body_limit)"),
        // .env
        case(".env wrong type", Example, &["migrate"], "settings.E020", ".env:2 (PORT)").file(".env", "DEBUG=false\nPORT=abc\n"),
        case(".env malformed line", Example, &["migrate"], "settings.E024", ".env:1:").file(".env", "PORT 8000\n"),
        case(".env unterminated quote", Example, &["migrate"], "settings.E024", ".env:1:").file(".env", "DATABASE_URL=\"x.db\n").env("DATABASE_URL", UNSET),
        case(".env is a directory", Example, &["migrate"], "settings.E024", ".env").file(".env", "<dir>"),
        case(".env empty database_url", Example, &["migrate"], "settings.E020", ".env:1 (DATABASE_URL)").file(".env", "DATABASE_URL=\n").env("DATABASE_URL", UNSET),
        case(".env in-memory database", Example, &["migrate"], "settings.E020", ".env:1 (DATABASE_URL)").file(".env", "DATABASE_URL=:memory:\n").env("DATABASE_URL", UNSET),
        case(".env project setting wrong type", Example, serve, "settings.E020", ".env:1 (APP_PAGE_SIZE)").file(".env", "APP_PAGE_SIZE=lots\n"),
        // Environment
        case("env port", Example, &["migrate"], "settings.E020", "environment variable PORT").env("PORT", "abc"),
        case("env body_limit", Example, &["migrate"], "settings.E020", "environment variable BODY_LIMIT").env("BODY_LIMIT", "-1"),
        case("env request_timeout", Example, &["migrate"], "settings.E020", "environment variable REQUEST_TIMEOUT").env("REQUEST_TIMEOUT", "soon"),
        case("env lock timeout", Example, &["migrate"], "settings.E020", "environment variable MIGRATE_LOCK_TIMEOUT").env("MIGRATE_LOCK_TIMEOUT", "-5"),
        case("env ddl lock timeout", Example, &["migrate"], "settings.E020", "environment variable DDL_LOCK_TIMEOUT").env("DDL_LOCK_TIMEOUT", "1.5"),
        case("env openapi switch", Example, &["migrate"], "settings.E020", "environment variable OPENAPI").env("OPENAPI", "maybe"),
        case("env docs path", Example, &["migrate"], "settings.E020", "environment variable DOCS_PATH").env("DOCS_PATH", "/docs?x"),
        case("env db timeout past any clock", Example, &["check"], "settings.E020", "environment variable DB_TIMEOUT").env("DB_TIMEOUT", "9223372036854775807"),
        case("env ddl lock timeout past PostgreSQL's", Example, &["migrate"], "settings.E020", "environment variable DDL_LOCK_TIMEOUT").env("DDL_LOCK_TIMEOUT", "3000000"),
        case("env empty database_url", Example, &["migrate"], "settings.E020", "environment variable DATABASE_URL").env("DATABASE_URL", ""),
        case("env database_url with spaces around", Example, &["migrate"], "settings.E020", "environment variable DATABASE_URL").env("DATABASE_URL", " spaced.db "),
        case("check --database, SQLite file in a missing directory", Example, &["check", "--database"], "db.E030", "database /nonexistent-fastapp-dir/app.db").env("DATABASE_URL", "/nonexistent-fastapp-dir/app.db"),
        case("env in-memory database", Example, &["migrate"], "settings.E020", "environment variable DATABASE_URL").env("DATABASE_URL", ":memory:"),
        case("env libpq string", Example, &["migrate"], "settings.E020", "environment variable DATABASE_URL").env("DATABASE_URL", "host=127.0.0.1 dbname=shop"),
        case("env unknown scheme", Example, &["migrate"], "settings.E020", "environment variable DATABASE_URL").env("DATABASE_URL", "mysql://app@127.0.0.1/shop"),
        case("env unreachable server", Example, &["migrate"], "db.E030", "postgres://app:***@127.0.0.1:1/shop").env("DATABASE_URL", "postgres://app:pw@127.0.0.1:1/shop"),
        case("env unopenable file", Example, &["migrate"], "db.E030", "/nonexistent/dir/x.db").env("DATABASE_URL", "/nonexistent/dir/x.db"),
        case("env project setting", Example, serve, "settings.E020", "environment variable APP_PAGE_SIZE").env("APP_PAGE_SIZE", "lots"),
        // Migrations and their SQL
        case("failing migration", Fixture(BROKEN), &["migrate"], "migration.E040", "2024-02-01-000002_broken/up.sql"),
        case("external migration changes a core table", Fixture("apps = [\"newsletter\", \"fx_intruder\"]\n"), &["migrate"], "migration.E043", "2024-02-01-000001_alter_items/up.sql"),
        case("external migration unreadable", Fixture("apps = [\"newsletter\", \"fx_intruder\"]\n"), &["migrate", "app", "fx_intruder"], "migration.E051", "2024-02-01-000003_unreadable/up.sql"),
        case("migrate --to bogus", Fixture(NEWSLETTER), &["migrate", "--to", "2024-02-01-000001_totally_bogus"], "migration.E045", "2024-02-01-000001_totally_bogus"),
        case("migrate --to nothing", Fixture(NEWSLETTER), &["migrate", "--to", "nope"], "migration.E045", "nope"),
        case("migrate an unknown app", Fixture(NEWSLETTER), &["migrate", "app", "nope"], "migration.E046", "nope"),
        case("migrate an internal app", Fixture("apps = [\"apps.alpha\"]\n"), &["migrate", "app", "alpha"], "migration.E046", "alpha"),
        case("revert past an irreversible one", Fixture(NEWSLETTER), &["migrate", "revert", "--steps", "2"], "migration.E044", "seed_items"),
        case("revert --to bogus", Fixture(NEWSLETTER), &["migrate", "revert", "newsletter", "--to", "1999-01-01-000000_x"], "migration.E045", "1999-01-01-000000_x"),
        case("resolve what is finished", Fixture(NEWSLETTER), &["migrate", "resolve", "core", "2024-02-01-000001", "--applied"], "migration.E056", "create_items"),
        case("migrate --check with pending", Fixture(BROKEN), &["migrate", "--check"], "migration.E050", "database"),
        case("serve --no-migrate with pending", Fixture(BROKEN), &["serve", "--port", "0", "--no-migrate"], "migration.E050", "database"),
        case("makemigrations for an external app", Fixture(NEWSLETTER), &["makemigrations", "newsletter", "add_topic"], "migration.E048", "newsletter"),
        case("makemigrations bad name", Fixture("apps = [\"apps.alpha\"]\n"), &["makemigrations", "alpha", "Bad-Name"], "migration.E049", "Bad-Name"),
        // Command lines
        case("unknown command", Example, &["frobnicate"], "cli.E080", "frobnicate"),
        case("misspelt command", Example, &["serv"], "cli.E080", "serv"),
        case("port not a number", Example, &["serve", "--port", "abc"], "cli.E080", "--port abc"),
        case("port too large", Example, &["serve", "--port", "99999"], "cli.E080", "99999"),
        case("unknown flag", Example, &["routes", "--jsn"], "cli.E080", "--jsn"),
        case("unknown graph format", Example, &["apps", "graph", "--format", "png"], "cli.E080", "png"),
        case("unknown fail level", Example, &["check", "--fail-level", "fatal"], "cli.E080", "fatal"),
        case("resolve without a verdict", Example, &["migrate", "resolve", "core", "x"], "cli.E080", "resolve"),
        case("steps not a number", Example, &["migrate", "revert", "--steps", "two"], "cli.E080", "two"),
        case("port taken", Example, &["serve", "--port", &taken], "io.E090", "127.0.0.1:"),
    ]
}

/// The database as text: schema and rows (SQLite, through `quote()`), or
/// `pg_dump`'s output (PostgreSQL).
fn dump(db: &TestDb) -> String {
    if db.backend == "postgres" {
        let out = Command::new("pg_dump")
            .args(["--no-owner", "--no-privileges", &db.url])
            .output()
            .expect("pg_dump");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        // pg_dump >= 15.14 fences its output with a random `\restrict` key.
        return String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .filter(|line| !line.starts_with("\\restrict") && !line.starts_with("\\unrestrict"))
            .collect::<Vec<_>>()
            .join("\n");
    }
    let mut out = db.strings(
        "SELECT type || ' ' || name || ': ' || COALESCE(sql, '') AS v FROM sqlite_master ORDER BY name",
    );
    for table in db.strings("SELECT name AS v FROM sqlite_master WHERE type = 'table' ORDER BY name") {
        let columns = db.strings(&format!("SELECT name AS v FROM pragma_table_info('{table}')"));
        let row = columns
            .iter()
            .map(|c| format!("quote(\"{c}\")"))
            .collect::<Vec<_>>()
            .join(" || ',' || ");
        out.extend(db.strings(&format!(
            "SELECT '{table}: ' || {row} AS v FROM \"{table}\" ORDER BY rowid"
        )));
    }
    out.join("\n")
}

/// Runs `case` in a fresh directory against `url`; (exit code, stderr).
fn run(case: &Case, url: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in &case.files {
        let path = dir.path().join(name);
        if *text == "<dir>" {
            std::fs::create_dir(&path).unwrap();
        } else {
            std::fs::write(&path, text).unwrap();
        }
    }
    let args: Vec<&str> = case.args.iter().map(String::as_str).collect();
    let mut cmd = match case.project {
        Fixture(config) => support::fixture_command(dir.path(), config, Path::new(url), &args),
        Example => support::example_command(dir.path(), Path::new(url), &args),
    };
    cmd.env("RUST_BACKTRACE", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (key, value) in &case.env {
        if value == UNSET {
            cmd.env_remove(key);
        } else {
            cmd.env(key, value);
        }
    }
    let mut child = cmd.spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (status.and_then(|s| s.code()), reader.join().unwrap())
}

/// Brings `db` to the state every case starts from: the fixture's core and
/// newsletter migrations and fx_broken's first, or the example's.
fn baseline(db: &TestDb, project: &str) {
    let url = Path::new(&db.url);
    let runs: Vec<(&str, Vec<&str>)> = if project == "fixture" {
        vec![
            (NEWSLETTER, vec!["migrate"]),
            (
                BROKEN,
                vec![
                    "migrate",
                    "app",
                    "fx_broken",
                    "--to",
                    "2024-02-01-000001_create_widgets",
                ],
            ),
        ]
    } else {
        vec![]
    };
    for (config, args) in runs {
        let out = support::fixture(config, url, &args);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    if project == "example" {
        let dir = tempfile::tempdir().unwrap();
        let out = support::example_command(dir.path(), url, &["migrate"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn bad_input_fails_with_a_rule_a_location_and_a_fix_and_changes_nothing() {
    let holder = TcpListener::bind("127.0.0.1:0").unwrap();
    let cases = corpus(holder.local_addr().unwrap().port());
    assert!(cases.len() >= 60, "{} cases", cases.len());
    let mut failures = Vec::new();
    let mut tried = 0u64;
    for db_fixture in backends() {
        let db_example = if db_fixture.backend == "sqlite" {
            TestDb::sqlite()
        } else {
            TestDb::postgres().unwrap()
        };
        baseline(&db_fixture, "fixture");
        baseline(&db_example, "example");
        let before = (dump(&db_fixture), dump(&db_example));
        for case in &cases {
            let db = match case.project {
                Fixture(_) => &db_fixture,
                Example => &db_example,
            };
            let (code, stderr) = run(case, &db.url);
            tried += 1;
            let mut wrong = Vec::new();
            if code != Some(1) {
                wrong.push(format!("exit {code:?}, not 1"));
            }
            if !stderr.contains(&format!("[{}]", case.id)) {
                wrong.push(format!("no [{}]", case.id));
            }
            // The error, after any warnings (which have locations too).
            let error = stderr
                .lines()
                .skip_while(|line| !line.starts_with("error: "))
                .collect::<Vec<_>>()
                .join("\n");
            let located = error
                .lines()
                .any(|line| line.trim_start().starts_with("--> ") && line.contains(case.at));
            if !located {
                wrong.push(format!("no `--> …{}…` location", case.at));
            }
            if !error.contains("= fix: ") {
                wrong.push("no fix".into());
            }
            if stderr.contains("panicked at") || stderr.contains("stack backtrace") {
                wrong.push("a panic".into());
            }
            let after = (dump(&db_fixture), dump(&db_example));
            if after != before {
                wrong.push("the database changed".into());
            }
            if !wrong.is_empty() {
                failures.push(format!(
                    "{} / {} ({}): {}\n{stderr}",
                    db.backend,
                    case.name,
                    case.args.join(" "),
                    wrong.join("; ")
                ));
            }
        }
    }
    drop(holder);
    support::tally("cases tried", tried);
    assert!(
        failures.is_empty(),
        "{} of {tried} cases failed:\n\n{}",
        failures.len(),
        failures.join("\n---\n")
    );
}
