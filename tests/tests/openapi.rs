//! The example's merged OpenAPI document and its docs page, served by a
//! real server on loopback and rendered by a real headless browser
//! (Debian's `chromium`, installed by `scripts/test.sh`; no network).

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use support::Server;

/// The example's documented routes, from `routes --json`: the apps', and
/// fastapp's health and readiness (not the document and docs page).
fn app_routes(dir: &Path, db: &Path) -> Vec<(String, String, String)> {
    let out = support::example_command(dir, db, &["routes", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let routes: Value = serde_json::from_slice(&out.stdout).unwrap();
    routes
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["app"] != "fastapp" || r["path"] == "/healthz" || r["path"] == "/readyz")
        .map(|r| {
            let field = |k: &str| r[k].as_str().unwrap().to_string();
            (field("method"), field("path"), field("app"))
        })
        .collect()
}

#[test]
fn every_route_of_every_app_is_documented_under_its_prefix_and_tag() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let routes = app_routes(dir.path(), &db);
    assert_eq!(routes.len(), 10);

    // The CLI prints the same document the server serves.
    let out = support::example_command(dir.path(), &db, &["openapi"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();

    let server = Server::start(dir.path(), &db);
    let served: Value = serde_json::from_str(&support::get_text(&server.url("/openapi.json"))).unwrap();
    assert_eq!(printed, served);
    assert_eq!(served["openapi"], "3.1.0");
    assert_eq!(served["info"]["title"], "example_project");
    let tags: Vec<&str> = served["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(tags, ["accounts", "blog", "newsletter", "fastapp"]);

    let mut documented = 0;
    for (path, item) in served["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            documented += 1;
            let route = (
                method.to_uppercase(),
                path.clone(),
                operation["tags"][0].as_str().unwrap().to_string(),
            );
            assert!(
                routes.contains(&route),
                "documented {route:?} is a route of that app: {routes:?}"
            );
        }
    }
    assert_eq!(documented, routes.len(), "every route is documented");
    // The external crate's schemas are there, referenced under its prefix.
    assert!(served["components"]["schemas"]["Subscriber"].is_object());
    let post = &served["paths"]["/newsletter/subscribers"]["post"];
    assert_eq!(
        post["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/NewSubscriber"
    );
    server.stop();
}

#[test]
fn paths_and_switch_are_settings() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let status = |url: String| match support::http().get(&url).call() {
        Ok(r) => r.status(),
        Err(ureq::Error::Status(code, _)) => code,
        Err(err) => panic!("{err}"),
    };
    let server = Server::start_with(
        dir.path(),
        &db,
        &[("OPENAPI_PATH", "/api/schema.json"), ("DOCS_PATH", "/api/docs")],
    );
    assert_eq!(status(server.url("/api/schema.json")), 200);
    let page = support::get_text(&server.url("/api/docs"));
    assert!(page.contains("const OPENAPI_PATH = \"/api/schema.json\";"));
    assert_eq!(status(server.url("/docs")), 404);
    server.stop();

    let server = Server::start_with(dir.path(), &db, &[("OPENAPI", "false")]);
    assert_eq!(status(server.url("/openapi.json")), 404);
    assert_eq!(status(server.url("/docs")), 404);
    assert_eq!(status(server.url("/blog/posts")), 200);
    server.stop();
}

/// Debian's chromium (or `FASTAPP_TEST_CHROMIUM`).
fn chromium() -> PathBuf {
    if let Some(path) = std::env::var_os("FASTAPP_TEST_CHROMIUM") {
        return path.into();
    }
    for candidate in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] {
        if Path::new(candidate).exists() {
            return candidate.into();
        }
    }
    panic!("no chromium: run `bash scripts/test.sh` (it installs Debian's chromium) or set FASTAPP_TEST_CHROMIUM");
}

/// Runs headless chromium on `url` with `args`; its stdout.
fn browse(profile: &Path, url: &str, args: &[&str]) -> String {
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--hide-scrollbars",
            // Wait (in virtual time) for the page's fetch and rendering.
            "--virtual-time-budget=10000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .output()
        .expect("run chromium");
    assert!(
        out.status.success(),
        "chromium: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_docs_page_renders_every_app_offline_in_a_real_browser() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let routes = app_routes(dir.path(), &db);
    let server = Server::start(dir.path(), &db);

    // No CDN: the page loads nothing from another host.
    let page = support::get_text(&server.url("/docs"));
    assert!(!page.contains("http://") && !page.contains("https://") && !page.contains("//cdn"));

    let profile = tempfile::tempdir().unwrap();
    let dom = browse(profile.path(), &server.url("/docs"), &["--dump-dom"]);
    assert!(
        dom.contains("data-rendered=\"true\""),
        "the script ran to the end: {dom}"
    );
    assert!(!dom.contains("<p class=\"error\">"), "the document loaded: {dom}");
    assert!(dom.contains("<h1 id=\"title\">example_project</h1>"), "{dom}");
    for app in ["accounts", "blog", "newsletter"] {
        assert!(
            dom.contains(&format!("data-app=\"{app}\"")),
            "section of {app}: {dom}"
        );
    }
    for (method, path, app) in &routes {
        let operation = format!("data-method=\"{method}\" data-path=\"{path}\"");
        let at = dom
            .find(&operation)
            .unwrap_or_else(|| panic!("{method} {path} on the page: {dom}"));
        // Under its app's section: the last section opened before it.
        let section = dom[..at].rfind("data-app=\"").unwrap();
        assert!(
            dom[section..].starts_with(&format!("data-app=\"{app}\"")),
            "{method} {path} under {app}"
        );
    }

    // A screenshot, kept as a test artifact.
    let artifacts = support::target_dir().join("test-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let shot = artifacts.join("docs.png");
    let _ = std::fs::remove_file(&shot);
    browse(
        profile.path(),
        &server.url("/docs"),
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1200,1000",
        ],
    );
    let png = std::fs::read(&shot).expect("chromium wrote the screenshot");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "a real screenshot: {} bytes",
        png.len()
    );
    eprintln!("screenshot: {}", shot.display());
    server.stop();
}
