//! The first hour, as a new user lives it: a project, two apps, a model
//! change in one that relates it to the other by a foreign key, `check`
//! catching the missing migration, `makemigrations` writing it, and the
//! result applied on SQLite and PostgreSQL, to tables that have rows.
// Signals (`kill -TERM`) are Unix-only.
#![cfg(unix)]

mod support;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use support::{backends, cargo_fastapp, cargo_in as cargo, succeeded, TestDb};

#[test]
fn a_model_change_is_caught_by_check_then_made_by_makemigrations_and_migrates_on_both_backends() {
    let root = tempfile::tempdir().unwrap();
    let workspace = support::workspace();
    succeeded(cargo_fastapp(
        root.path(),
        &["new", "journey", "--fastapp-path", workspace.to_str().unwrap()],
    ));
    let project = root.path().join("journey");
    succeeded(cargo_fastapp(&project, &["app", "new", "shop"]));
    succeeded(cargo_fastapp(&project, &["app", "new", "orders"]));
    build(&project);
    let binary = support::target_dir().join("debug/journey");
    let run = |db: &TestDb, args: &[&str]| {
        Command::new(&binary)
            .env("DRAIN_DELAY", "0")
            .current_dir(&project)
            .args(args)
            .env("DATABASE_URL", &db.url)
            .env("RUST_LOG", "warn")
            .env("PATH", support::path_with_tools())
            .output()
            .unwrap()
    };
    // Each database as the first version leaves it, with rows.
    let dbs = backends();
    for db in &dbs {
        succeeded(run(db, &["migrate"]));
        db.execute(
            "INSERT INTO shop_items (id, name) VALUES ('s1', 'kettle'); \
             INSERT INTO orders_items (id, name) VALUES ('o1', 'first order');",
        );
    }

    // The model change: orders gets lines, each naming a shop item (a
    // foreign key), and its items a note. schema.rs and the model only.
    let schema = project.join("src/core/schema.rs");
    support::edit(
        &schema,
        "    orders_items (id) {\n        id -> Text,\n        name -> Text,\n",
        "    orders_items (id) {\n        id -> Text,\n        name -> Text,\n        note -> Text,\n",
    );
    support::edit(
        &schema,
        "diesel::table! {\n    shop_items",
        "diesel::table! {\n    orders_lines (id) {\n        id -> Text,\n        item_id -> Text,\n        quantity -> Integer,\n    }\n}\n\n\
         diesel::table! {\n    shop_items",
    );
    support::edit(
        &schema,
        "diesel::allow_tables_to_appear_in_same_query!(orders_items, shop_items,);",
        "diesel::joinable!(orders_lines -> shop_items (item_id));\n\n\
         diesel::allow_tables_to_appear_in_same_query!(orders_items, orders_lines, shop_items,);",
    );
    let models = project.join("src/apps/orders/models.rs");
    let mut text = std::fs::read_to_string(&models).unwrap();
    text.push_str(
        "\n/// One line of an order: a shop item and how many.\n\
         #[fastapp_core::model(table = orders_lines)]\n\
         #[derive(Debug, Clone, Serialize)]\n\
         #[allow(dead_code)]\n\
         pub struct Line {\n    pub id: String,\n    pub item_id: String,\n    pub quantity: i32,\n}\n\n\
         /// Each line's id with its shop item's name: a join across the foreign key.\n\
         #[allow(dead_code)]\n\
         pub fn line_items(conn: &mut fastapp_core::db::DbConnection) -> diesel::QueryResult<Vec<(String, String)>> {\n\
         \x20   use crate::core::schema::{orders_lines, shop_items};\n\
         \x20   use diesel::prelude::*;\n\
         \x20   orders_lines::table.inner_join(shop_items::table).select((orders_lines::id, shop_items::name)).load(conn)\n\
         }\n",
    );
    std::fs::write(&models, text).unwrap();
    // Using shop's table makes orders depend on shop: declared.
    support::edit(
        &project.join("fastapp.toml"),
        "[app.orders]\nuses = []",
        "[app.orders]\nuses = [\"shop\"]",
    );
    build(&project);

    // It builds (the model matches schema.rs), but no migration makes the
    // table: check says so, naming the model, the table and the command.
    let checked = run(&dbs[0], &["check"]);
    let said = String::from_utf8_lossy(&checked.stderr);
    assert_eq!(checked.status.code(), Some(1), "{said}");
    assert!(
        said.contains("[migration.E053] model `Line` reads table `orders_lines`"),
        "{said}"
    );
    assert!(said.contains("src/apps/orders/models.rs:"), "{said}");
    assert!(said.contains("`makemigrations orders <name>`"), "{said}");
    // serve says it too, as a warning, and serves the rest.
    let warned = served_warnings(&binary, &project, &dbs[0]);
    assert!(
        warned.contains("[migration.E053] model `Line` reads table `orders_lines`"),
        "{warned}"
    );

    // The relation is an edge of the app graph.
    let graph = succeeded(run(&dbs[0], &["apps", "graph"]));
    assert!(graph.contains("orders --> shop"), "{graph}");

    // makemigrations writes SQL both backends run.
    let made = succeeded(run(&dbs[0], &["makemigrations", "orders", "add_lines"]));
    assert!(
        made.contains(
            "note: `orders_items.note` is a new NOT NULL column: rows already in the table get DEFAULT ''"
        ),
        "{made}"
    );
    let up = created_up_sql(&project, "_orders_add_lines");
    assert!(!up.contains('`'), "{up}");
    assert!(up.contains("REFERENCES \"shop_items\""), "{up}");
    build(&project);
    let checked = run(&dbs[0], &["check"]);
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );

    // Applied on each backend, to tables with rows; the foreign key holds.
    for db in &dbs {
        let migrated = succeeded(run(db, &["migrate"]));
        assert!(
            migrated.contains("_orders_add_lines"),
            "{}: {migrated}",
            db.backend
        );
        assert_eq!(
            db.strings("SELECT name || '/' || note AS v FROM orders_items"),
            ["first order/"],
            "{}",
            db.backend
        );
        let references = match db.backend {
            "sqlite" => "SELECT \"table\" AS v FROM pragma_foreign_key_list('orders_lines')",
            _ => {
                "SELECT CAST(confrelid::regclass AS TEXT) AS v FROM pg_constraint \
                 WHERE conrelid = 'orders_lines'::regclass AND contype = 'f'"
            }
        };
        assert_eq!(db.strings(references), ["shop_items"], "{}", db.backend);
        db.execute("INSERT INTO orders_lines (id, item_id, quantity) VALUES ('l1', 's1', 2)");
        let warned = served_warnings(&binary, &project, db);
        assert!(!warned.contains("migration.E053"), "{}: {warned}", db.backend);
    }
}

fn build(project: &Path) {
    let build = cargo(project, &["build"]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
}

/// The up.sql of the one migration whose directory ends with `suffix`.
fn created_up_sql(project: &Path, suffix: &str) -> String {
    let created: Vec<PathBuf> = std::fs::read_dir(project.join("migrations"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().ends_with(suffix))
        .collect();
    assert_eq!(created.len(), 1, "{created:?}");
    std::fs::read_to_string(created[0].join("up.sql")).unwrap()
}

/// What `serve` logs before it listens (then it is stopped).
fn served_warnings(binary: &Path, project: &Path, db: &TestDb) -> String {
    let mut child = Command::new(binary)
        .env("DRAIN_DELAY", "0")
        .current_dir(project)
        .args(["serve", "--port", "0"])
        .env("DATABASE_URL", &db.url)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut child = support::KillOnDrop(child);
    let listening = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .any(|line| line.starts_with("fastapp: listening on "));
    let _ = Command::new("kill")
        .args(["-TERM", &child.0.id().to_string()])
        .status();
    let _ = child.0.wait();
    let log: Vec<String> = BufReader::new(stderr).lines().map_while(Result::ok).collect();
    assert!(listening, "serve started: {log:#?}");
    log.join("\n")
}
