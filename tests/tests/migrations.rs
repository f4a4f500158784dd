//! The migration runner on SQLite and (when `FASTAPP_TEST_POSTGRES` is set,
//! as in `.ci/run`) PostgreSQL: order, status, preview, `--to`, revert,
//! failures, concurrency, tampering, isolation, and diesel CLI agreement.

mod support;

use std::path::Path;

use support::{backends, diesel, example, status, TestDb};

const USERS: &str = "2024-01-01-000001_accounts_create_users";
const POSTS: &str = "2024-01-01-000002_blog_create_posts";
const SUBSCRIBERS: &str = "2024-01-01-000001_create_subscribers";

fn marks(db: &TestDb) -> Vec<(String, char, String)> {
    status(db)
        .into_iter()
        .flat_map(|(app, rows)| rows.into_iter().map(move |(m, n)| (app.clone(), m, n)))
        .collect()
}

#[test]
fn full_run_in_order_with_status_before_and_after() {
    for db in backends() {
        let before = marks(&db);
        if db.backend == "sqlite" {
            assert!(
                !std::path::Path::new(&db.url).exists(),
                "status created no database file"
            );
        }
        assert_eq!(
            before,
            [
                ("core".into(), ' ', USERS.into()),
                ("core".into(), ' ', POSTS.into()),
                ("newsletter".into(), ' ', SUBSCRIBERS.into())
            ],
            "{}",
            db.backend
        );
        let (code, out, err) = example(&db, &["migrate"]);
        assert_eq!(code, 0, "{err}");
        let applied: Vec<&str> = out.lines().collect();
        assert_eq!(
            applied,
            [
                format!("applied core {USERS}"),
                format!("applied core {POSTS}"),
                format!("applied newsletter {SUBSCRIBERS}")
            ],
            "{}",
            db.backend
        );
        let after = marks(&db);
        assert!(after.iter().all(|(_, m, _)| *m == 'X'), "{after:?}");
        // The status line carries when it was applied.
        let (_, raw, _) = example(&db, &["migrate", "status"]);
        assert!(
            raw.lines().any(|l| l.contains(USERS) && l.contains("applied 20")),
            "{raw}"
        );
        // Nothing runs twice.
        let (code, out, _) = example(&db, &["migrate"]);
        assert_eq!((code, out.trim()), (0, "nothing to do"));
    }
}

#[test]
fn preview_shows_exactly_what_then_runs_and_changes_nothing() {
    for db in backends() {
        let tables_before = db.tables();
        let (code, preview, err) = example(&db, &["migrate", "preview"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(
            db.tables(),
            tables_before,
            "preview created nothing ({})",
            db.backend
        );
        let previewed: Vec<String> = preview
            .lines()
            .filter_map(|l| l.strip_prefix("-- fastapp: "))
            .map(str::to_string)
            .collect();
        assert!(preview.contains("CREATE TABLE users"), "{preview}");
        let (code, out, err) = example(&db, &["migrate"]);
        assert_eq!(code, 0, "{err}");
        let ran: Vec<String> = out
            .lines()
            .map(|l| l.trim_start_matches("applied ").to_string())
            .collect();
        assert_eq!(previewed, ran, "{}", db.backend);
        let (_, preview, _) = example(&db, &["migrate", "preview"]);
        assert_eq!(preview.trim(), "-- no pending migrations");
    }
}

#[test]
fn to_and_revert_per_app() {
    for db in backends() {
        let ok = |args: &[&str]| {
            let (code, out, err) = example(&db, args);
            assert_eq!(code, 0, "{args:?} on {}: {err}", db.backend);
            out
        };
        assert_eq!(
            ok(&["migrate", "core", "--to", "2024-01-01-000001"]).trim(),
            format!("applied core {USERS}")
        );
        assert_eq!(
            marks(&db),
            [
                ("core".into(), 'X', USERS.into()),
                ("core".into(), ' ', POSTS.into()),
                ("newsletter".into(), ' ', SUBSCRIBERS.into())
            ]
        );
        assert_eq!(
            ok(&["migrate", "app", "newsletter"]).trim(),
            format!("applied newsletter {SUBSCRIBERS}")
        );
        assert_eq!(ok(&["migrate"]).trim(), format!("applied core {POSTS}"));
        assert!(db.tables().contains(&"subscribers".to_string()));

        assert_eq!(
            ok(&["migrate", "revert", "newsletter"]).trim(),
            format!("reverted newsletter {SUBSCRIBERS}")
        );
        assert!(!db.tables().contains(&"subscribers".to_string()));
        assert!(db.tables().contains(&"posts".to_string()), "core untouched");

        assert_eq!(
            ok(&["migrate", "revert", "core", "--to", USERS]).trim(),
            format!("reverted core {POSTS}")
        );
        let tables = db.tables();
        assert!(
            !tables.contains(&"posts".to_string()) && tables.contains(&"users".to_string()),
            "{tables:?}"
        );
        assert_eq!(
            ok(&["migrate", "revert", "--steps", "1"]).trim(),
            format!("reverted core {USERS}")
        );
        assert!(marks(&db).iter().all(|(_, m, _)| *m == ' '));

        // A bare version that several apps have is ambiguous.
        let (code, _, err) = example(&db, &["migrate", "--to", "2024-01-01-000001"]);
        assert_eq!(code, 1);
        assert!(
            err.contains("[migration.E045]") && err.contains("several apps"),
            "{err}"
        );

        // An internal app has no migrations of its own; an unknown version is named.
        let (code, _, err) = example(&db, &["migrate", "app", "blog"]);
        assert_eq!(code, 1);
        assert!(
            err.contains("[migration.E046]") && err.contains("migrate core"),
            "{err}"
        );
        let (code, _, err) = example(&db, &["migrate", "core", "--to", "1999"]);
        assert_eq!(code, 1);
        assert!(err.contains("[migration.E045]"), "{err}");
    }
}

#[test]
fn a_broken_migration_is_rolled_back_and_named() {
    for db in backends() {
        let out = support::fixture("apps = [\"fx_broken\"]\n", Path::new(&db.url), &["migrate"]);
        assert_eq!(out.status.code(), Some(1), "{}", db.backend);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("[migration.E040]"), "{stderr}");
        assert!(
            stderr.contains("2024-02-01-000002_broken of `fx_broken`"),
            "{stderr}"
        );
        assert!(
            stderr.contains("no_such_column"),
            "the database's message: {stderr}"
        );
        // Before it: core's and fx_broken's first migration stay applied;
        // the broken one left nothing (its ALTER was rolled back).
        let versions = db.strings("SELECT version AS v FROM __fastapp_migrations_fx_broken");
        assert_eq!(versions, ["20240201000001"]);
        assert_eq!(
            db.strings("SELECT version AS v FROM __diesel_schema_migrations ORDER BY version"),
            ["20240201000001", "20240201000002"]
        );
        let columns = match db.backend {
            "sqlite" => db.strings("SELECT name AS v FROM pragma_table_info('widgets')"),
            _ => db.strings(
                "SELECT CAST(column_name AS TEXT) AS v FROM information_schema.columns WHERE table_name = 'widgets'",
            ),
        };
        assert_eq!(columns, ["id"], "rolled back on {}", db.backend);
    }
}

#[test]
fn a_revert_that_reaches_an_irreversible_migration_reverts_nothing() {
    for db in backends() {
        let out = support::fixture("apps = []\n", Path::new(&db.url), &["migrate"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let out = support::fixture(
            "apps = []\n",
            Path::new(&db.url),
            &["migrate", "revert", "--steps", "2"],
        );
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(
                "[migration.E044] migration 2024-02-01-000002_seed_items of `core` has no down.sql"
            ),
            "{stderr}"
        );
        assert_eq!(
            db.strings("SELECT name AS v FROM items"),
            ["seed"],
            "nothing reverted ({})",
            db.backend
        );
    }
}

#[test]
fn eight_processes_migrating_at_once_apply_each_version_once() {
    for db in backends() {
        let dir = tempfile::tempdir().unwrap();
        let children: Vec<_> = (0..8)
            .map(|_| {
                support::example_command(dir.path(), Path::new(&db.url), &["migrate"])
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let mut applied = Vec::new();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "{}: {}",
                db.backend,
                String::from_utf8_lossy(&out.stderr)
            );
            applied.extend(
                String::from_utf8(out.stdout)
                    .unwrap()
                    .lines()
                    .filter(|l| l.starts_with("applied"))
                    .map(str::to_string),
            );
        }
        applied.sort();
        assert_eq!(
            applied,
            [
                format!("applied core {USERS}"),
                format!("applied core {POSTS}"),
                format!("applied newsletter {SUBSCRIBERS}")
            ],
            "each applied exactly once across 8 processes ({})",
            db.backend
        );
        assert_eq!(
            db.strings("SELECT version AS v FROM __diesel_schema_migrations ORDER BY version")
                .len(),
            2
        );
    }
}

#[test]
fn an_applied_migration_that_is_gone_is_reported_before_anything_runs() {
    for db in backends() {
        assert_eq!(example(&db, &["migrate", "core", "--to", USERS]).0, 0);
        db.execute("INSERT INTO __diesel_schema_migrations (version) VALUES ('20231231000000')");
        let (code, _, err) = example(&db, &["migrate"]);
        assert_eq!(code, 1, "{}", db.backend);
        assert!(
            err.contains("[migration.E041] migration 20231231000000 of `core` is applied"),
            "{err}"
        );
        assert!(err.contains("restore the migration directory"), "{err}");
        assert!(!db.tables().contains(&"posts".to_string()), "nothing ran");
        let st = status(&db);
        assert!(st["core"].contains(&('!', "20231231000000".into())), "{st:?}");
        // `check` does not open the database; `check --database` does.
        assert_eq!(example(&db, &["check"]).0, 0, "{}", db.backend);
        let (code, _, err) = example(&db, &["check", "--database"]);
        assert_eq!(code, 1, "{}: {err}", db.backend);
        assert!(err.contains("[migration.E041]"), "{err}");
    }
}

#[test]
fn an_edited_applied_migration_is_reported() {
    for db in backends() {
        assert_eq!(example(&db, &["migrate", "app", "newsletter"]).0, 0);
        // The SQL this binary embeds no longer matches what ran.
        db.execute(
            "UPDATE __fastapp_checksums SET checksum = 'e3b0c44298fc1c149afbf4c8996fb924' \
             WHERE version_table = '__fastapp_migrations_newsletter'",
        );
        let (code, _, err) = example(&db, &["migrate"]);
        assert_eq!(code, 1, "{}", db.backend);
        assert!(
            err.contains(&format!(
                "[migration.E042] migration {SUBSCRIBERS} of `newsletter` was edited"
            )),
            "{err}"
        );
        assert!(!db.tables().contains(&"users".to_string()), "nothing ran");
        // serve refuses too.
        let (code, _, err) = example(&db, &["serve", "--port", "0"]);
        assert_eq!(code, 1);
        assert!(err.contains("migration.E042"), "{err}");
        // status marks it, and `check --database` finds it (`check` alone does not look).
        let st = status(&db);
        assert!(st["newsletter"].contains(&('~', SUBSCRIBERS.into())), "{st:?}");
        let (_, stdout, _) = example(&db, &["migrate", "status", "--json"]);
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        let newsletter = json
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["app"] == "newsletter")
            .unwrap();
        assert_eq!(newsletter["applied"][0]["edited"], true, "{json}");
        assert_eq!(example(&db, &["check"]).0, 0, "{}", db.backend);
        let (code, _, err) = example(&db, &["check", "--database"]);
        assert_eq!(code, 1, "{}: {err}", db.backend);
        assert!(err.contains("[migration.E042]"), "{err}");
    }
}

#[test]
fn an_external_migration_touching_a_core_table_is_refused() {
    for db in backends() {
        let out = support::fixture("apps = [\"fx_intruder\"]\n", Path::new(&db.url), &["migrate"]);
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(
                "[migration.E043] migration 2024-02-01-000001_alter_items of external app `fx_intruder` alters table `items`, which belongs to the shared schema"
            ),
            "{stderr}"
        );
        // Writes, triggers and upserts on core's table, in up.sql and down.sql.
        for what in [
            "inserts into table `items`",
            "updates table `items`",
            "deletes from table `items`",
            "puts a trigger on table `items`",
        ] {
            assert!(
                stderr.contains(&format!("[migration.E043] migration 2024-02-01-000002_write_items of external app `fx_intruder` {what}")),
                "{what}: {stderr}"
            );
        }
        assert_eq!(
            stderr.matches("inserts into table `items`").count(),
            2,
            "the upsert too: {stderr}"
        );
        assert!(
            stderr.contains("truncates table `items`")
                && stderr.contains("2024-02-01-000002_write_items/down.sql"),
            "{stderr}"
        );
        assert!(
            !stderr.contains("table `intruder_copies`"),
            "its own table is fine: {stderr}"
        );
        // SQL the parser cannot read is an error naming the file, unless opted out.
        assert!(
            stderr.contains("[migration.E051] migration 2024-02-01-000003_unreadable of external app `fx_intruder`: up.sql cannot be parsed"),
            "{stderr}"
        );
        assert!(
            stderr.contains("-- fastapp: unchecked"),
            "the fix names the opt-out: {stderr}"
        );
        assert!(
            !stderr.contains("000004_unchecked"),
            "an opted-out file is not checked: {stderr}"
        );
        // Comments SQLite and PostgreSQL read differently hide statements
        // from one reading: refused, whichever parses.
        assert!(
            stderr.contains("[migration.E051] migration 2024-02-01-000005_nested_comment of external app `fx_intruder`: up.sql cannot be parsed")
                && stderr.contains("read its comments differently"),
            "{stderr}"
        );
        // An opted-out file's readable statements are found by tokens: a `;`
        // in a string or a trigger body hides none.
        for what in ["updates table `items`", "deletes from table `items`"] {
            assert!(
                stderr.contains(&format!("[migration.E043] migration 2024-02-01-000006_unchecked_split of external app `fx_intruder` {what}")),
                "{what}: {stderr}"
            );
        }
        // Dropping an index of core's table (or one no migration made) is
        // changing it; a view of one's own and its INSTEAD OF trigger are fine.
        assert!(
            stderr.contains("[migration.E043] migration 2024-02-01-000007_indexes_and_views of external app `fx_intruder` drops index `intruder_items_name` of table `items`, which belongs to the shared schema"),
            "{stderr}"
        );
        assert!(
            stderr.contains(
                "drops index `sqlite_autoindex_things_1`, which belongs to no migration of this app"
            ),
            "{stderr}"
        );
        assert!(
            !stderr.contains("intruder_view"),
            "its own view is its own: {stderr}"
        );
        assert!(
            db.tables().is_empty(),
            "refused before anything ran: {:?}",
            db.tables()
        );
    }
}

#[test]
fn diesel_migration_run_then_status_agree() {
    for db in backends() {
        let run = diesel(
            &["migration", "run", "--locked-schema"],
            &db.url,
            &support::example_dir(),
        );
        assert!(
            run.status.success(),
            "{}: {}",
            db.backend,
            String::from_utf8_lossy(&run.stderr)
        );
        assert_eq!(
            marks(&db),
            [
                ("core".into(), 'X', USERS.into()),
                ("core".into(), 'X', POSTS.into()),
                ("newsletter".into(), ' ', SUBSCRIBERS.into())
            ],
            "{}",
            db.backend
        );
        let (code, out, err) = example(&db, &["migrate"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(out.trim(), format!("applied newsletter {SUBSCRIBERS}"));
        // And diesel agrees with what fastapp applied.
        let list = diesel(&["migration", "list"], &db.url, &support::example_dir());
        let list = String::from_utf8(list.stdout).unwrap();
        assert!(
            list.contains(&format!("[X] {USERS}")) && list.contains(&format!("[X] {POSTS}")),
            "{list}"
        );
    }
}

/// `makemigrations` on each backend writes SQL that runs on both (the rule
/// for shared migrations): generated on SQLite it has no backticks, and a
/// new NOT NULL column gets a default, so a table with rows takes it.
#[test]
fn makemigrations_writes_a_diesel_migration_from_a_schema_change_that_runs_on_both_backends() {
    let mut generated = Vec::new();
    for db in backends() {
        // A copy of the project's diesel files, with new columns in schema.rs.
        let src = tempfile::tempdir().unwrap();
        let example = support::example_dir();
        std::fs::copy(example.join("diesel.toml"), src.path().join("diesel.toml")).unwrap();
        support::copy_dir(&example.join("migrations"), &src.path().join("migrations"));
        std::fs::create_dir_all(src.path().join("src/core")).unwrap();
        let schema = std::fs::read_to_string(example.join("src/core/schema.rs")).unwrap();
        let changed = schema.replace(
            "        published -> Bool,\n",
            "        published -> Bool,\n        slug -> Nullable<Text>,\n        rating -> Double,\n        pinned -> Bool,\n",
        );
        assert_ne!(schema, changed);
        std::fs::write(src.path().join("src/core/schema.rs"), changed).unwrap();

        let run = |args: &[&str]| {
            let dir = tempfile::tempdir().unwrap();
            let out = support::example_command(dir.path(), Path::new(&db.url), args)
                .env("FASTAPP_SOURCE_ROOT", src.path())
                .output()
                .unwrap();
            (
                out.status.code().unwrap(),
                String::from_utf8_lossy(&out.stdout).to_string(),
                String::from_utf8_lossy(&out.stderr).to_string(),
            )
        };
        let (code, said, err) = run(&["makemigrations", "blog", "add_post_slug"]);
        assert_eq!(code, 0, "{}: {err}", db.backend);
        // The scratch database's migrations are not the user's: not logged.
        assert!(!err.contains("applied migration"), "{}: {err}", db.backend);
        assert!(
            said.contains(
                "note: `posts.pinned` is a new NOT NULL column: rows already in the table get DEFAULT FALSE"
            ),
            "{}: {said}",
            db.backend
        );
        // The configured database was not touched.
        assert!(db.tables().is_empty(), "{}: {:?}", db.backend, db.tables());
        let created: Vec<_> = std::fs::read_dir(src.path().join("migrations"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .ends_with("_blog_add_post_slug")
            })
            .collect();
        assert_eq!(created.len(), 1, "{}", db.backend);
        let up = std::fs::read_to_string(created[0].join("up.sql")).unwrap();
        let down = std::fs::read_to_string(created[0].join("down.sql")).unwrap();
        let sql: String = format!("{up}{down}")
            .lines()
            .filter(|l| !l.trim_start().starts_with("--"))
            .collect();
        assert!(!sql.contains('`'), "{}: {up}{down}", db.backend);
        assert!(up.to_lowercase().contains("alter table \"posts\""), "{up}");
        generated.push((db.backend, up, down));

        // External apps make their migrations in their own crate.
        let (code, _, err) = run(&["makemigrations", "newsletter", "x"]);
        assert_eq!(code, 1);
        assert!(
            err.contains("[migration.E048]") && err.contains("its own crate"),
            "{err}"
        );
    }
    // A PostgreSQL role that may not create a scratch database: generated
    // against SQLite instead, and said.
    if let Some(db) = TestDb::postgres() {
        let role = format!("fastapp_nocreatedb_{}", std::process::id());
        db.execute(&format!(
            "CREATE ROLE {role} LOGIN PASSWORD 'nocreatedb' NOCREATEDB"
        ));
        let url = db
            .url
            .replacen("://fastapp:fastapp@", &format!("://{role}:nocreatedb@"), 1);
        assert_ne!(
            url, db.url,
            "the test server URL has the form postgres://fastapp:fastapp@…"
        );
        let src = tempfile::tempdir().unwrap();
        let example = support::example_dir();
        std::fs::copy(example.join("diesel.toml"), src.path().join("diesel.toml")).unwrap();
        support::copy_dir(&example.join("migrations"), &src.path().join("migrations"));
        std::fs::create_dir_all(src.path().join("src/core")).unwrap();
        let schema = std::fs::read_to_string(example.join("src/core/schema.rs")).unwrap();
        std::fs::write(
            src.path().join("src/core/schema.rs"),
            schema.replace(
                "        published -> Bool,\n",
                "        published -> Bool,\n        slug -> Nullable<Text>,\n",
            ),
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let out = support::example_command(
            dir.path(),
            Path::new(&url),
            &["makemigrations", "blog", "add_slug"],
        )
        .env("FASTAPP_SOURCE_ROOT", src.path())
        .output()
        .unwrap();
        let _ = fastapp_core::db::connect(&db.url).map(|mut conn| {
            diesel::connection::SimpleConnection::batch_execute(&mut conn, &format!("DROP ROLE {role}"))
        });
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{said}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            said.contains("generating against a scratch SQLite database instead"),
            "{said}"
        );
        assert!(said.contains("created migration `blog_add_slug`"), "{said}");
    }

    // Whichever backend generated it, it runs on each, on a table with rows.
    for (made_on, up, down) in &generated {
        for db in backends() {
            let (code, _, err) = support::example(&db, &["migrate"]);
            assert_eq!(code, 0, "{err}");
            db.execute(
                "INSERT INTO users (id, username, email) VALUES ('u1', 'ann', 'ann@example.com'); \
                 INSERT INTO posts (id, author_id, title, body, published) VALUES ('p1', 'u1', 't', 'b', TRUE);",
            );
            let mut conn = fastapp_core::db::connect(&db.url).unwrap();
            diesel::connection::SimpleConnection::batch_execute(&mut conn, up)
                .unwrap_or_else(|e| panic!("made on {made_on}, up.sql on {}: {e}\n{up}", db.backend));
            // The row already there got the defaults.
            assert_eq!(
                db.strings("SELECT CASE WHEN pinned = FALSE AND rating = 0 THEN 'defaults' ELSE 'other' END AS v FROM posts"),
                ["defaults"],
                "made on {made_on}, on {}",
                db.backend
            );
            diesel::connection::SimpleConnection::batch_execute(&mut conn, down)
                .unwrap_or_else(|e| panic!("made on {made_on}, down.sql on {}: {e}\n{down}", db.backend));
        }
    }
}

#[test]
fn file_urls_take_the_migration_lock_too() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("file:{}?mode=rwc", dir.path().join("uri.db").display());
    let children: Vec<_> = (0..4)
        .map(|_| {
            support::example_command(dir.path(), Path::new(&url), &["migrate"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut applied = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        applied += String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .filter(|l| l.starts_with("applied"))
            .count();
    }
    assert_eq!(applied, 3, "each migration applied once across 4 processes");
    assert!(dir.path().join("uri.db.migrate.lock").exists());
}

#[test]
fn migrate_check_and_serve_no_migrate_guard_a_release() {
    for db in backends() {
        // Pending: both refuse, apply nothing and create nothing.
        for args in [
            &["migrate", "--check"][..],
            &["serve", "--no-migrate", "--port", "0"][..],
        ] {
            let (code, _, stderr) = example(&db, args);
            assert_eq!(code, 1, "{args:?} ({}): {stderr}", db.backend);
            assert!(
                stderr.contains("[migration.E050] 3 migration(s) pending"),
                "{stderr}"
            );
            assert!(
                stderr.contains(&format!("core {USERS}")) && stderr.contains(SUBSCRIBERS),
                "{stderr}"
            );
        }
        if db.backend == "sqlite" {
            assert!(!Path::new(&db.url).exists(), "no database file was created");
        } else {
            assert!(!db.tables().contains(&"users".to_string()));
        }
        // After the release step: up to date, and a replica serves without migrating.
        let (code, _, stderr) = example(&db, &["migrate"]);
        assert_eq!(code, 0, "{stderr}");
        let (code, stdout, stderr) = example(&db, &["migrate", "--check"]);
        assert_eq!((code, stdout.trim()), (0, "up to date"), "{stderr}");
        let dir = tempfile::tempdir().unwrap();
        let mut server = support::example_command(
            dir.path(),
            Path::new(&db.url),
            &["serve", "--no-migrate", "--port", "0"],
        )
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
        use std::io::BufRead;
        let mut lines = std::io::BufReader::new(server.stdout.take().unwrap()).lines();
        let base = loop {
            let line = lines.next().expect("the replica listens").unwrap();
            if let Some(url) = line.strip_prefix("fastapp: listening on ") {
                break url.to_string();
            }
        };
        let (status, _) = support::send(support::http().get(&format!("{base}/accounts/users")), None);
        assert_eq!(status, 200);
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &server.id().to_string()])
            .status();
        assert!(server.wait().unwrap().success());
    }
}

/// A runner that holds the migration lock: `flock` on SQLite's lock file,
/// a psql session holding the advisory lock on PostgreSQL.
fn lock_holder(db: &TestDb) -> std::process::Child {
    use std::process::{Command, Stdio};
    if db.backend == "sqlite" {
        let lock = format!("{}.migrate.lock", db.url);
        // -o: the lock belongs to flock itself, so killing it releases it.
        let child = Command::new("flock")
            .args(["-o", &lock, "sleep", "120"])
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(300));
        std::fs::write(&lock, child.id().to_string()).unwrap();
        child
    } else {
        let child = Command::new("psql")
            .args([
                &db.url,
                "-qc",
                "SET client_connection_check_interval = 100",
                "-c",
                "SELECT pg_advisory_lock(28817596126163056)",
                "-c",
                "SELECT pg_sleep(120)",
            ])
            .env("PGAPPNAME", "lock-holder-test")
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        for _ in 0..50 {
            let held = db.strings(
                "SELECT CAST(COUNT(*) AS TEXT) AS v FROM pg_locks WHERE locktype = 'advisory' AND granted \
                 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            );
            if held == ["1"] {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        child
    }
}

#[test]
fn a_held_lock_names_its_holder_and_a_killed_holder_releases_it() {
    for db in backends() {
        if db.backend == "sqlite" {
            // The lock file lives beside the database file.
            db.execute("SELECT 1");
        }
        let mut holder = lock_holder(&db);
        let dir = tempfile::tempdir().unwrap();
        let out = support::example_command(dir.path(), Path::new(&db.url), &["migrate"])
            .env("MIGRATE_LOCK_TIMEOUT", "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{}: {stderr}", db.backend);
        assert!(
            stderr.contains("[migration.E052]") && stderr.contains("gave up after 1s"),
            "{stderr}"
        );
        if db.backend == "sqlite" {
            assert!(stderr.contains(&format!("process {}", holder.id())), "{stderr}");
        } else {
            assert!(
                stderr.contains("application `lock-holder-test`") && stderr.contains("backend pid"),
                "{stderr}"
            );
        }
        assert!(!stderr.contains("fastapp:fastapp@"), "no password: {stderr}");
        // SIGKILL: the holder dies without unlocking; the lock goes with it.
        holder.kill().unwrap();
        holder.wait().unwrap();
        let out = support::example_command(dir.path(), Path::new(&db.url), &["migrate"])
            .env("MIGRATE_LOCK_TIMEOUT", "20")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}: {}",
            db.backend,
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout).matches("applied").count(), 3);
    }
}

/// A copy of the example's diesel files (diesel.toml, migrations, schema.rs)
/// with `edit` applied to schema.rs, for commands that read the source tree.
fn source_copy(edit: impl Fn(&str) -> String) -> tempfile::TempDir {
    let src = tempfile::tempdir().unwrap();
    let example = support::example_dir();
    std::fs::copy(example.join("diesel.toml"), src.path().join("diesel.toml")).unwrap();
    support::copy_dir(&example.join("migrations"), &src.path().join("migrations"));
    std::fs::create_dir_all(src.path().join("src/core")).unwrap();
    let schema = std::fs::read_to_string(example.join("src/core/schema.rs")).unwrap();
    std::fs::write(src.path().join("src/core/schema.rs"), edit(&schema)).unwrap();
    src
}

/// Every file under `dir`, with its contents.
fn snapshot(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(snapshot(&path));
        } else {
            out.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn makemigrations_check_guards_schema_and_migrations_in_both_directions() {
    // (The kill test leaves an unowned scratch database for a moment.)
    let _scratch = lock(&SCRATCH);
    for db in backends() {
        // The scratch SQLite files go here, to be seen gone afterwards.
        let tmp = tempfile::tempdir().unwrap();
        let run = |src: &Path| {
            let dir = tempfile::tempdir().unwrap();
            let out =
                support::example_command(dir.path(), Path::new(&db.url), &["makemigrations", "--check"])
                    .env("FASTAPP_SOURCE_ROOT", src)
                    .env("TMPDIR", tmp.path())
                    // Where the runner's lines would show.
                    .env("RUST_LOG", "info")
                    .output()
                    .unwrap();
            (
                out.status.code().unwrap(),
                String::from_utf8_lossy(&out.stdout).to_string(),
                String::from_utf8_lossy(&out.stderr).to_string(),
            )
        };
        let tables_before = if db.backend == "postgres" {
            db.tables()
        } else {
            Vec::new()
        };

        // In step: exit 0.
        let same = source_copy(str::to_string);
        let before = snapshot(same.path());
        let (code, stdout, stderr) = run(same.path());
        assert_eq!(code, 0, "{}: {stderr}", db.backend);
        // The scratch database's migrations are not the user's: not logged.
        assert!(!stderr.contains("applied migration"), "{}: {stderr}", db.backend);
        assert!(
            stdout.contains("src/core/schema.rs matches core's 2 migration(s)"),
            "{stdout}"
        );
        assert_eq!(
            snapshot(same.path()),
            before,
            "{}: --check creates no files",
            db.backend
        );

        // A model change without its migration: schema.rs has a column the migrations lack.
        let ahead = source_copy(|s| {
            s.replace(
                "        published -> Bool,\n",
                "        published -> Bool,\n        slug -> Nullable<Text>,\n",
            )
        });
        let before = snapshot(ahead.path());
        let (code, _, stderr) = run(ahead.path());
        assert_eq!(code, 1, "{}: {stderr}", db.backend);
        assert!(stderr.contains("[migration.E053]"), "{stderr}");
        assert!(
            stderr.contains("only in src/core/schema.rs:") && stderr.contains("slug -> Nullable<Text>,"),
            "{stderr}"
        );
        assert!(
            stderr.contains("makemigrations <app> <name>"),
            "the fix: {stderr}"
        );
        assert_eq!(
            snapshot(ahead.path()),
            before,
            "{}: --check creates no migration",
            db.backend
        );

        // A migration whose schema.rs was not regenerated: the migrations have a column schema.rs lacks.
        let behind = source_copy(|s| s.replace("        published -> Bool,\n", ""));
        let (code, _, stderr) = run(behind.path());
        assert_eq!(code, 1, "{}: {stderr}", db.backend);
        assert!(
            stderr.contains("only from the migrations: published -> Bool,"),
            "{stderr}"
        );
        assert!(stderr.contains("diesel migration run"), "the fix: {stderr}");

        let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert!(left.is_empty(), "{}: scratch files removed: {left:?}", db.backend);
        // The configured database was never touched.
        match db.backend {
            "sqlite" => assert!(!Path::new(&db.url).exists(), "no database file created"),
            _ => assert_eq!(db.tables(), tables_before, "the configured database is as it was"),
        }
        if db.backend == "postgres" {
            // Another test's run still going holds its database's liveness
            // lock: only an unowned one is a leftover.
            let left = db.strings(UNOWNED_SCRATCH);
            assert!(left.is_empty(), "scratch databases dropped: {left:?}");
        }
    }
}

#[test]
fn check_database_opens_the_database_reading_only() {
    // A SQLite file that does not exist yet: nothing applied, nothing created.
    let db = TestDb::sqlite();
    let (code, stdout, err) = example(&db, &["check", "--database"]);
    assert_eq!(code, 0, "{stdout}{err}");
    assert!(
        !Path::new(&db.url).exists(),
        "check --database creates no database"
    );
    // An up-to-date database is fine on each backend.
    for db in backends() {
        assert_eq!(example(&db, &["migrate"]).0, 0);
        let (code, _, err) = example(&db, &["check", "--database"]);
        assert_eq!(code, 0, "{}: {err}", db.backend);
    }
    // A server that cannot be reached is db.E030; plain `check` does not notice.
    let dir = tempfile::tempdir().unwrap();
    let unreachable = Path::new("postgres://fastapp:hunter2@127.0.0.1:1/nope");
    let out = support::example_command(dir.path(), unreachable, &["check", "--database", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["errors"][0]["id"], "db.E030", "{report}");
    assert!(!report.to_string().contains("hunter2"), "{report}");
    let out = support::example_command(dir.path(), unreachable, &["check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

const ONLINE: &str = "apps = [\"fx_online\"]\n";
const GADGETS: &str = "2024-03-01-000001_create_gadgets";
const GADGET_INDEX: &str = "2024-03-01-000002_index_gadget_codes";

/// `gadgets_code`'s `indisvalid`, when the index exists.
fn gadget_index(db: &TestDb) -> Vec<String> {
    db.strings(
        "SELECT CAST(indisvalid AS TEXT) AS v FROM pg_index WHERE indexrelid = to_regclass('gadgets_code')",
    )
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn run_in_transaction_false_builds_an_index_concurrently_and_a_failure_waits_for_resolve() {
    // CREATE INDEX CONCURRENTLY is PostgreSQL's.
    let Some(db) = TestDb::postgres() else { return };
    let run = |args: &[&str]| support::fixture(ONLINE, Path::new(&db.url), args);
    assert!(run(&["migrate", "app", "fx_online", "--to", GADGETS])
        .status
        .success());
    db.execute("INSERT INTO gadgets (code) VALUES ('a'), ('a')");

    // The unique index fails on the duplicate, outside a transaction, so
    // PostgreSQL leaves an INVALID index behind and nothing rolls it back.
    let out = run(&["migrate"]);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "[migration.E040] migration {GADGET_INDEX} of `fx_online` failed"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("NOT rolled back"), "{stderr}");
    assert!(
        stderr.contains(&format!("migrate resolve fx_online {GADGET_INDEX} --rolled-back")),
        "{stderr}"
    );
    assert_eq!(gadget_index(&db), ["false"], "an INVALID index is left");

    // Every later run refuses, naming what failed, instead of re-running it.
    for args in [
        &["migrate"][..],
        &["migrate", "--check"],
        &["serve", "--port", "0"],
    ] {
        let out = run(args);
        let stderr = stderr_of(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "[migration.E054] migration {GADGET_INDEX} of `fx_online` did not finish"
            )) && stderr.contains("could not create unique index"),
            "{args:?}: {stderr}"
        );
    }
    let status = String::from_utf8(run(&["migrate", "status"]).stdout).unwrap();
    assert!(
        status.contains(&format!("[?] {GADGET_INDEX}  up since")),
        "{status}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&run(&["migrate", "status", "--json"]).stdout).unwrap();
    let online = json
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["app"] == "fx_online")
        .unwrap();
    assert_eq!(online["unfinished"][0]["name"], GADGET_INDEX);
    assert_eq!(online["unfinished"][0]["direction"], "up");

    // Clean up by hand, say it did not happen, and it runs again.
    db.execute("DELETE FROM gadgets WHERE id = 2; DROP INDEX gadgets_code;");
    let out = run(&["migrate", "resolve", "fx_online", GADGET_INDEX, "--rolled-back"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let out = run(&["migrate"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("applied fx_online {GADGET_INDEX}")));
    assert_eq!(gadget_index(&db), ["true"], "a valid index, built concurrently");
    let out = run(&["migrate", "resolve", "fx_online", GADGET_INDEX, "--applied"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains("[migration.E056]"),
        "{}",
        stderr_of(&out)
    );

    // Revert (down.sql runs outside a transaction too), fail again, then
    // finish by hand and say so: recorded as applied, with its checksum.
    let out = run(&["migrate", "revert", "fx_online"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(gadget_index(&db).is_empty());
    db.execute("INSERT INTO gadgets (code) VALUES ('a')");
    assert_eq!(run(&["migrate"]).status.code(), Some(1));
    db.execute("DROP INDEX gadgets_code; DELETE FROM gadgets WHERE id = 3; CREATE UNIQUE INDEX gadgets_code ON gadgets (code);");
    let out = run(&["migrate", "resolve", "fx_online", GADGET_INDEX, "--applied"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let status = String::from_utf8(run(&["migrate", "status"]).stdout).unwrap();
    assert!(
        status.contains(&format!("[X] {GADGET_INDEX}  applied")),
        "{status}"
    );
    let out = run(&["migrate"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("nothing to do"));
    assert_eq!(
        db.strings("SELECT version AS v FROM __fastapp_checksums WHERE version_table = '__fastapp_migrations_fx_online' ORDER BY version"),
        ["20240301000001", "20240301000002"]
    );
}

#[test]
fn a_migration_waiting_on_a_table_lock_gives_up_after_ddl_lock_timeout() {
    // lock_timeout is PostgreSQL's; a SQLite file has one writer at a time.
    let Some(db) = TestDb::postgres() else { return };
    let url = Path::new(&db.url);
    let out = support::fixture(
        "apps = []\n",
        url,
        &["migrate", "core", "--to", "2024-02-01-000001_create_items"],
    );
    assert!(out.status.success(), "{}", stderr_of(&out));
    // A long transaction holds `items`, which the next migration writes.
    let mut holder = std::process::Command::new("psql")
        .args([
            &db.url,
            "-qc",
            "SET client_connection_check_interval = 100",
            "-c",
            "BEGIN; LOCK TABLE items; SELECT pg_sleep(120);",
        ])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let locked = || {
        db.strings(
            "SELECT CAST(COUNT(*) AS TEXT) AS v FROM pg_locks WHERE relation = to_regclass('items') \
             AND mode = 'AccessExclusiveLock' AND granted",
        ) == ["1"]
    };
    for _ in 0..100 {
        if locked() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(locked(), "the psql session holds items");
    let started = std::time::Instant::now();
    let out = support::fixture_in("apps = []\n", url, &["migrate"], &[("DDL_LOCK_TIMEOUT", "1")]);
    let waited = started.elapsed();
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("[migration.E040] migration 2024-02-01-000002_seed_items of `core` failed")
            && stderr.contains("lock timeout")
            && stderr.contains("ddl_lock_timeout"),
        "{stderr}"
    );
    assert!(
        waited < std::time::Duration::from_secs(30),
        "gave up after about 1 s, not 120: {waited:?}"
    );
    assert_eq!(
        db.strings("SELECT version AS v FROM __diesel_schema_migrations ORDER BY version"),
        ["20240201000001"]
    );
    holder.kill().unwrap();
    holder.wait().unwrap();
    let out = support::fixture_in("apps = []\n", url, &["migrate"], &[("DDL_LOCK_TIMEOUT", "20")]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(db.strings("SELECT name AS v FROM items"), ["seed"]);
}

/// A fresh database of `like`'s backend.
fn fresh(like: &TestDb) -> TestDb {
    if like.backend == "sqlite" {
        TestDb::sqlite()
    } else {
        TestDb::postgres().unwrap()
    }
}

#[test]
fn a_baseline_is_adopted_where_its_tables_match_run_where_none_is_and_refused_where_they_differ() {
    use fastapp_core::migrate::{self, Migration, MigrationSet, Target};
    const TABLE: &str = "CREATE TABLE shop_items (id TEXT PRIMARY KEY NOT NULL, price INTEGER NOT NULL);";
    static CORE: [Migration; 1] = [Migration {
        name: "2024-01-01-000001_shop_create_shop_items",
        version: "20240101000001",
        up: TABLE,
        down: None,
        run_in_transaction: true,
    }];
    static SHOP: [Migration; 2] = [
        Migration {
            name: "2025-01-01-000000_baseline",
            version: "20250101000000",
            up: "-- fastapp: baseline\nCREATE TABLE shop_items (id TEXT PRIMARY KEY NOT NULL, price INTEGER NOT NULL);\n",
            down: Some("DROP TABLE shop_items;"),
            run_in_transaction: true,
        },
        Migration {
            name: "2025-02-01-000000_add_note",
            version: "20250201000000",
            up: "ALTER TABLE shop_items ADD COLUMN note TEXT;",
            down: None,
            run_in_transaction: true,
        },
    ];
    let shop = || MigrationSet::external("shop", &SHOP).unwrap();
    let done = |d: Vec<migrate::Done>| d.into_iter().map(|d| (d.name, d.adopted)).collect::<Vec<_>>();
    for db in backends() {
        // A database of the project before the extraction: core made the table.
        let mut conn = fastapp_core::db::connect(&db.url).unwrap();
        let core = [MigrationSet::core(&CORE)];
        migrate::migrate(&mut conn, &core, &core, Target::Latest).unwrap();
        db.execute("INSERT INTO shop_items (id, price) VALUES ('a', 3)");
        // After it: the baseline is adopted, and the app's next migration
        // may change the table it was handed (no migration.E043).
        let sets = [MigrationSet::core(&CORE), shop()];
        let applied = migrate::migrate(&mut conn, &sets, &sets, Target::Latest).unwrap();
        assert_eq!(
            done(applied),
            [
                ("2025-01-01-000000_baseline", true),
                ("2025-02-01-000000_add_note", false)
            ],
            "{}",
            db.backend
        );
        assert_eq!(
            db.strings("SELECT id || CAST(price AS TEXT) AS v FROM shop_items"),
            ["a3"]
        );

        // The crate alone, where no table is: the baseline runs.
        let alone = fresh(&db);
        let mut conn = fastapp_core::db::connect(&alone.url).unwrap();
        let sets = [shop()];
        let applied = migrate::migrate(&mut conn, &sets, &sets, Target::Latest).unwrap();
        assert_eq!(
            done(applied),
            [
                ("2025-01-01-000000_baseline", false),
                ("2025-02-01-000000_add_note", false)
            ]
        );

        // A table that differs: migration.E057 names it; nothing runs or is recorded.
        let odd = fresh(&db);
        odd.execute("CREATE TABLE shop_items (id TEXT PRIMARY KEY NOT NULL, price TEXT)");
        let mut conn = fastapp_core::db::connect(&odd.url).unwrap();
        let err = migrate::migrate(&mut conn, &sets, &sets, Target::Latest).unwrap_err();
        let finding = &err.findings()[0];
        assert_eq!(finding.id, "migration.E057", "{err}");
        assert!(finding.message.contains("`shop_items.price`"), "{err}");
        assert!(migrate::status(&mut conn, &sets).unwrap()[0].applied.is_empty());
        let columns = if odd.backend == "sqlite" {
            "SELECT name AS v FROM pragma_table_info('shop_items')"
        } else {
            "SELECT CAST(column_name AS TEXT) AS v FROM information_schema.columns WHERE table_name = 'shop_items' AND table_schema = current_schema() ORDER BY ordinal_position"
        };
        assert_eq!(odd.strings(columns), ["id", "price"], "the table is as it was");
    }
}

/// On PostgreSQL, `check --database` agrees with `migrate`: a role that may
/// not create tables in its schema, with migrations pending, is `db.E030`
/// from both; granted CREATE, `check --database` passes.
#[test]
fn check_database_sees_a_role_that_may_not_create_tables() {
    let Some(db) = TestDb::postgres() else { return };
    let role = format!("fastapp_nocreate_{}", std::process::id());
    db.execute(&format!("CREATE ROLE {role} LOGIN PASSWORD 'nocreate'"));
    /// Drops the role whatever happens (it owns nothing: nothing it ran
    /// could create).
    struct DropRole<'a>(&'a TestDb, String);
    impl Drop for DropRole<'_> {
        fn drop(&mut self) {
            if let Ok(mut conn) = fastapp_core::db::connect(&self.0.url) {
                let sql = format!(
                    "REVOKE ALL ON SCHEMA public FROM {0}; DROP ROLE IF EXISTS {0}",
                    self.1
                );
                let _ = diesel::connection::SimpleConnection::batch_execute(&mut conn, &sql);
            }
        }
    }
    let _role = DropRole(&db, role.clone());
    let (scheme, rest) = db.url.split_once("://").unwrap();
    let url = format!("{scheme}://{role}:nocreate@{}", rest.split_once('@').unwrap().1);
    let run = |args: &[&str]| {
        let dir = tempfile::tempdir().unwrap();
        let out = support::example_command(dir.path(), Path::new(&url), args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };

    let (code, err) = run(&["check", "--database"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("[db.E030]"), "{err}");
    assert!(
        err.contains(&format!("role `{role}` may not create tables in schema `public`")),
        "{err}"
    );
    assert!(err.contains("GRANT CREATE ON SCHEMA public"), "{err}");
    assert!(!err.contains("nocreate@"), "the password is not shown: {err}");
    let (code, err) = run(&["migrate"]);
    assert_eq!(code, Some(1), "migrate fails as check said: {err}");
    assert!(db.tables().is_empty(), "{:?}", db.tables());

    db.execute(&format!("GRANT CREATE ON SCHEMA public TO {role}"));
    let (code, err) = run(&["check", "--database"]);
    assert_eq!(code, Some(0), "{err}");
}

/// The advisory lock key a live `makemigrations` holds while its scratch
/// database exists (`fastapp-core/src/cli/scratch.rs`).
const SCRATCH_KEY: i64 = 0x6661_6368;

/// The scratch databases no live `makemigrations` owns: left behind.
const UNOWNED_SCRATCH: &str =
    "SELECT datname AS v FROM pg_database WHERE datname LIKE 'fastapp\\_check\\_%' \
     AND NOT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 \
     AND CAST(classid AS BIGINT) = 1717658472 \
     AND CAST(objid AS BIGINT) = CAST(split_part(datname, '_', 3) AS BIGINT))";

/// Held by the tests that look for leftover scratch databases and by the
/// one that leaves one on purpose.
static SCRATCH: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn lock(mutex: &std::sync::Mutex<()>) -> std::sync::MutexGuard<'_, ()> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[test]
fn a_scratch_database_left_by_a_killed_makemigrations_is_dropped_by_the_next_run() {
    let Some(db) = TestDb::postgres() else {
        return;
    };
    let _scratch = lock(&SCRATCH);
    // A stand-in `diesel` first on PATH: it writes down the scratch
    // database it was given, then waits for ever, so the run is killed
    // while its scratch database exists.
    let shim = tempfile::tempdir().unwrap();
    let marker = shim.path().join("scratch");
    let script = shim.path().join("diesel");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho \"$$ $DATABASE_URL\" > '{0}.new'\nmv '{0}.new' '{0}'\nexec sleep 600\n",
            marker.display()
        ),
    )
    .unwrap();
    let mut perms = std::fs::metadata(&script).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&script, perms).unwrap();
    let mut path = vec![shim.path().to_path_buf()];
    path.extend(std::env::split_paths(&support::path_with_tools()));
    let dir = tempfile::tempdir().unwrap();
    let run = support::example_command(dir.path(), Path::new(&db.url), &["makemigrations", "--check"])
        .env("PATH", std::env::join_paths(path).unwrap())
        .env("FASTAPP_SOURCE_ROOT", support::example_dir())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut run = support::KillOnDrop(run);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    let said = loop {
        if let Ok(said) = std::fs::read_to_string(&marker) {
            break said;
        }
        assert!(std::time::Instant::now() < deadline, "the diesel CLI never ran");
        assert!(
            run.0.try_wait().unwrap().is_none(),
            "makemigrations --check ended early"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let (shim_pid, scratch_url) = said.trim().split_once(' ').unwrap();
    let scratch = scratch_url.rsplit_once('/').unwrap().1.to_string();
    let token: i64 = scratch.split('_').nth(2).unwrap().parse().unwrap();
    let exists = |name: &str| {
        !db.strings(&format!(
            "SELECT datname AS v FROM pg_database WHERE datname = '{name}'"
        ))
        .is_empty()
    };
    assert!(exists(&scratch), "{scratch} was made");

    // kill -9: no destructor runs; the database stays, the lock goes with
    // the connection (once the server has seen it close).
    run.0.kill().unwrap();
    run.0.wait().unwrap();
    let _ = std::process::Command::new("kill")
        .args(["-KILL", shim_pid])
        .status();
    assert!(exists(&scratch), "a killed run cannot drop its scratch database");
    let lock_held = format!(
        "SELECT CAST(pid AS TEXT) AS v FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 \
         AND CAST(classid AS BIGINT) = {SCRATCH_KEY} AND CAST(objid AS BIGINT) = {token}"
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !db.strings(&lock_held).is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "the killed run's session never ended"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }

    // The next run drops it, and cleans up after itself.
    let out = support::example_command(dir.path(), Path::new(&db.url), &["makemigrations", "--check"])
        .env("FASTAPP_SOURCE_ROOT", support::example_dir())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!exists(&scratch), "the next run dropped {scratch}");
    let left = db.strings(UNOWNED_SCRATCH);
    assert!(left.is_empty(), "scratch databases no live run owns: {left:?}");
}
