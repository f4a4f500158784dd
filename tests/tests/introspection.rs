//! `--json` on every introspection command of the example: stdout is only
//! JSON (parsed here, in the shapes the README documents), diagnostics go
//! to stderr.

mod support;

use std::path::Path;

use serde_json::Value;
use support::{backends, TestDb};

/// Runs the example with `args` against `db` (logging at info, so that a
/// log line on stdout would break the parse); the parsed stdout and stderr.
fn json(db: &str, args: &[&str], env: &[(&str, &str)]) -> (Value, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = support::example_command(dir.path(), Path::new(db), args);
    cmd.env("RUST_LOG", "info");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{args:?}: {stderr}");
    let value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{args:?}: stdout is only JSON ({e}): {stdout}"));
    (value, stderr)
}

fn strings(values: &Value, key: &str) -> Vec<String> {
    values
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v[key].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn apps_list_and_graph() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let db = db.to_str().unwrap();
    let (apps, _) = json(db, &["apps", "list", "--json"], &[]);
    assert_eq!(strings(&apps, "name"), ["accounts", "blog", "newsletter"]);
    assert_eq!(strings(&apps, "kind"), ["internal", "internal", "external"]);
    assert_eq!(strings(&apps, "prefix"), ["/accounts", "/blog", "/newsletter"]);
    assert_eq!(apps[1]["depends_on"], serde_json::json!(["accounts"]));
    assert_eq!(apps[2]["migrations"], 1);
    assert_eq!(apps[2]["crate"], "newsletter");
    assert!(
        apps[0]["source"]
            .as_str()
            .unwrap()
            .ends_with("src/apps/accounts/mod.rs:10"),
        "{apps}"
    );

    let (graph, _) = json(db, &["apps", "graph", "--json"], &[]);
    assert_eq!(
        strings(&graph["apps"], "name"),
        ["accounts", "blog", "newsletter"]
    );
    assert_eq!(
        graph["edges"],
        serde_json::json!([{ "from": "blog", "to": "accounts", "status": "declared" }])
    );
    assert_eq!(graph["apps"][1]["uses"], serde_json::json!(["accounts"]));
    assert!(!Path::new(db).exists(), "introspection creates no database");
}

#[test]
fn routes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let (routes, _) = json(db.to_str().unwrap(), &["routes", "--json"], &[]);
    let rows: Vec<(String, String, String)> = routes
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let field = |k: &str| r[k].as_str().unwrap().to_string();
            (field("method"), field("path"), field("app"))
        })
        .collect();
    assert_eq!(rows.len(), 14, "{rows:?}");
    for row in [
        ("GET", "/healthz", "fastapp"),
        ("GET", "/readyz", "fastapp"),
        ("GET", "/accounts/users/{id}", "accounts"),
        ("POST", "/blog/posts", "blog"),
        ("POST", "/newsletter/subscribers", "newsletter"),
        ("GET", "/openapi.json", "fastapp"),
        ("GET", "/docs", "fastapp"),
        ("GET", "/docs/assets/{file}", "fastapp"),
        ("GET", "/docs/apps", "fastapp"),
    ] {
        let row = (row.0.to_string(), row.1.to_string(), row.2.to_string());
        assert!(rows.contains(&row), "{row:?} in {rows:?}");
    }
}

#[test]
fn settings_typed_and_redacted() {
    let dir = tempfile::tempdir().unwrap();
    // Only printed, never connected to.
    let url = "postgres://app:hunter2@127.0.0.1:1/app";
    let (settings, stderr) = json(
        url,
        &["settings", "--json"],
        &[("PORT", "9123"), ("APP_PAGE_SIZE", "7")],
    );
    assert_eq!(settings["database_url"], "postgres://app:***@127.0.0.1:1/app");
    assert_eq!(settings["port"], 9123);
    assert_eq!(settings["page_size"], 7);
    assert_eq!(settings["debug"], false);
    assert_eq!(settings["openapi"], true);
    assert_eq!(settings["docs_path"], "/docs");
    assert!(!settings.to_string().contains("hunter2") && !stderr.contains("hunter2"));
    drop(dir);
}

#[test]
fn migrate_status_and_preview_on_each_backend() {
    for db in backends() {
        let TestDb { url, backend, .. } = &db;
        let (preview, _) = json(url, &["migrate", "preview", "--json"], &[]);
        let planned: Vec<(String, String)> = preview
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["app"].as_str().unwrap().into(),
                    p["name"].as_str().unwrap().into(),
                )
            })
            .collect();
        assert_eq!(
            planned,
            [
                (
                    "core".to_string(),
                    "2024-01-01-000001_accounts_create_users".to_string()
                ),
                ("core".into(), "2024-01-01-000002_blog_create_posts".into()),
                ("newsletter".into(), "2024-01-01-000001_create_subscribers".into()),
            ],
            "{backend}"
        );
        assert!(preview[0]["sql"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("create table users"));
        assert_eq!(preview[0]["version"], "20240101000001");

        let (status, _) = json(url, &["migrate", "status", "--json"], &[]);
        assert_eq!(strings(&status, "app"), ["core", "newsletter"], "{backend}");
        assert_eq!(status[0]["version_table"], "__diesel_schema_migrations");
        assert_eq!(status[1]["version_table"], "__fastapp_migrations_newsletter");
        assert_eq!(status[0]["pending"].as_array().unwrap().len(), 2, "{status}");
        assert!(status[0]["applied"].as_array().unwrap().is_empty());

        let (code, _, stderr) = support::example(&db, &["migrate"]);
        assert_eq!(code, 0, "{stderr}");
        let (status, _) = json(url, &["migrate", "status", "--json"], &[]);
        let applied = status[0]["applied"].as_array().unwrap();
        assert_eq!(strings(&status[0]["applied"], "name").len(), 2, "{status}");
        assert_eq!(applied[0]["missing"], false);
        assert!(!applied[0]["run_on"].as_str().unwrap().is_empty());
        assert!(status[0]["pending"].as_array().unwrap().is_empty());
        let (preview, _) = json(url, &["migrate", "preview", "--json"], &[]);
        assert_eq!(preview, serde_json::json!([]), "{backend}");
    }
}
