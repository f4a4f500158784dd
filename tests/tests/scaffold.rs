//! `cargo fastapp new` / `app new` / `app new --external`, as a new user runs
//! them: the generated project builds, passes its own tests, checks,
//! migrates and serves every generated route; bad input writes nothing.
// Signals (`kill -INT/-TERM`) and descriptor passing are Unix-only.
#![cfg(unix)]

mod support;

use support::{cargo_fastapp, cargo_in as cargo, succeeded};

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A project `name` scaffolded in `root` with `--fastapp-path`.
fn scaffold(root: &Path, name: &str) -> PathBuf {
    let workspace = support::workspace();
    let said = succeeded(cargo_fastapp(
        root,
        &["new", name, "--fastapp-path", workspace.to_str().unwrap()],
    ));
    assert!(said.contains(&format!("created project `{name}`")), "{said}");
    root.join(name)
}

/// Every file under `dir` with its bytes: compared before and after a
/// command that must write nothing.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files.insert(path.clone(), Vec::new());
                todo.push(path);
            } else {
                files.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

#[test]
fn a_scaffolded_project_with_three_apps_builds_tests_checks_migrates_and_serves() {
    let root = tempfile::tempdir().unwrap();
    let project = scaffold(root.path(), "demo");
    for file in [
        "Cargo.toml",
        "Cargo.lock",
        "build.rs",
        "diesel.toml",
        "fastapp.toml",
        ".env.example",
        ".gitignore",
        "README.md",
        "src/main.rs",
        "src/tests.rs",
        "src/core/mod.rs",
        "src/core/schema.rs",
        "src/core/settings.rs",
        "src/apps/mod.rs",
        "link/Cargo.toml",
        "link/src/lib.rs",
    ] {
        assert!(project.join(file).is_file(), "{file}");
    }
    assert!(project.join("migrations").is_dir());

    let said = succeeded(cargo_fastapp(&project, &["app", "new", "shop"]));
    assert!(said.contains("GET and POST /shop/items"), "{said}");
    succeeded(cargo_fastapp(&project, &["app", "new", "blog"]));
    succeeded(cargo_fastapp(&project, &["app", "new", "news", "--external"]));
    for file in ["mod.rs", "api.rs", "models.rs", "handlers.rs", "tests.rs"] {
        assert!(project.join("src/apps/shop").join(file).is_file(), "{file}");
    }
    let config = std::fs::read_to_string(project.join("fastapp.toml")).unwrap();
    assert!(
        config.contains(r#"apps = ["apps.shop", "apps.blog", "news"]"#),
        "{config}"
    );
    assert!(
        config.starts_with("# The apps of this project"),
        "comments kept: {config}"
    );
    let diesel = std::fs::read_to_string(project.join("diesel.toml")).unwrap();
    assert!(diesel.contains(r#"except_tables = ["^news_items$"]"#), "{diesel}");
    assert!(
        config.contains("[app.shop]\nuses = []\n") && config.contains("[app.blog]\nuses = []\n"),
        "new internal apps declare they use no other: {config}"
    );
    // The external app is the link package's dependency, never the project's.
    let manifest = std::fs::read_to_string(project.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains(r#"demo-link = { path = "link" }"#),
        "{manifest}"
    );
    assert!(!manifest.contains("news"), "{manifest}");
    let link = std::fs::read_to_string(project.join("link/Cargo.toml")).unwrap();
    assert!(link.contains(r#"news = { path = "../news" }"#), "{link}");
    for file in [
        "Cargo.toml",
        "build.rs",
        "README.md",
        "src/lib.rs",
        "src/schema.rs",
        "src/tests.rs",
    ] {
        assert!(project.join("news").join(file).is_file(), "news/{file}");
    }
    let news_manifest = std::fs::read_to_string(project.join("news/Cargo.toml")).unwrap();
    assert!(
        news_manifest.contains("[package.metadata.fastapp]"),
        "{news_manifest}"
    );
    assert!(std::fs::read_to_string(project.join("news/build.rs"))
        .unwrap()
        .contains("rerun-if-changed=migrations"));

    // Builds, and passes its own tests, on the first try.
    let build = cargo(&project, &["build"]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert!(
        !stderr.contains("warning"),
        "the generated project builds without warnings:\n{stderr}"
    );
    let test = cargo(&project, &["test", "--workspace"]);
    let said = String::from_utf8_lossy(&test.stdout);
    assert!(
        test.status.success(),
        "{said}\n{}",
        String::from_utf8_lossy(&test.stderr)
    );
    assert!(
        said.contains("test result: ok. 5 passed"),
        "the project's tests: {said}"
    );
    assert!(
        said.contains("test result: ok. 1 passed"),
        "the external crate's test: {said}"
    );
    // The generated code on PostgreSQL too, when a server is configured.
    if let Ok(server) = std::env::var("FASTAPP_TEST_POSTGRES") {
        let cargo_bin = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let test = Command::new(cargo_bin)
            .current_dir(&project)
            .args(["test", "--workspace"])
            .env("CARGO_TARGET_DIR", support::target_dir())
            .env("FASTAPP_TEST_DATABASE_URL", server)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&test.stdout);
        assert!(
            test.status.success(),
            "on PostgreSQL: {said}\n{}",
            String::from_utf8_lossy(&test.stderr)
        );
        assert!(said.contains("test result: ok. 5 passed"), "{said}");
    }

    // The project's CLI: check, migrate, then serve and call every GET route.
    let binary = support::target_dir().join("debug/demo");
    let db = root.path().join("demo-test.db");
    let run = |args: &[&str]| {
        Command::new(&binary)
            .env("DRAIN_DELAY", "0")
            .current_dir(&project)
            .args(args)
            .env("DATABASE_URL", &db)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    };
    assert!(succeeded(run(&["check"])).starts_with("ok: 0 error(s), 0 warning(s)"));
    let migrated = succeeded(run(&["migrate"]));
    for name in [
        "_shop_create_shop_items",
        "_blog_create_blog_items",
        "_create_news_items",
    ] {
        assert!(migrated.contains(name), "{migrated}");
    }
    let routes = succeeded(run(&["routes"]));
    let gets: Vec<&str> = routes
        .lines()
        .filter(|line| !line.ends_with("\tfastapp"))
        .filter_map(|line| line.strip_prefix("GET\t"))
        .map(|rest| rest.split('\t').next().unwrap())
        .collect();
    assert_eq!(gets, ["/shop/items", "/blog/items", "/news/items"]);
    // Then fastapp's own: the OpenAPI document and the docs page.
    assert!(routes.contains("GET\t/openapi.json\tfastapp") && routes.contains("GET\t/docs\tfastapp"));

    let server = Command::new(&binary)
        .env("DRAIN_DELAY", "0")
        .current_dir(&project)
        .args(["serve", "--port", "0"])
        .env("DATABASE_URL", &db)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut server = support::KillOnDrop(server);
    let mut lines = BufReader::new(server.0.stdout.take().unwrap()).lines();
    let base = loop {
        let line = lines.next().expect("the server says where it listens").unwrap();
        if let Some(url) = line.strip_prefix("fastapp: listening on ") {
            break url.to_string();
        }
    };
    let agent = support::http();
    for path in &gets {
        let (status, body) = support::send(agent.get(&format!("{base}{path}")), None);
        assert_eq!(status, 200, "GET {path}: {body}");
        assert_eq!(body, serde_json::json!([]));
    }
    let (status, item) = support::send(
        agent.post(&format!("{base}/news/items")),
        Some(serde_json::json!({"name": "hello"})),
    );
    assert_eq!(status, 201, "{item}");
    // Every scaffolded route is documented: the OpenAPI document (and so
    // /docs) shows each app's operations under its tag.
    let (status, openapi) = support::send(agent.get(&format!("{base}/openapi.json")), None);
    assert_eq!(status, 200);
    for (app, path) in [
        ("shop", "/shop/items"),
        ("blog", "/blog/items"),
        ("news", "/news/items"),
    ] {
        for method in ["get", "post"] {
            let operation = &openapi["paths"][path][method];
            assert!(operation.is_object(), "{method} {path} in {openapi:#}");
            assert_eq!(operation["tags"], serde_json::json!([app]), "{method} {path}");
        }
        assert!(
            openapi["paths"][path]["post"]["responses"]["422"].is_object(),
            "{path}: the validation error is documented"
        );
    }
    let _ = Command::new("kill")
        .args(["-TERM", &server.0.id().to_string()])
        .status();
    assert!(server.0.wait().unwrap().success());
}

/// One command that must fail with `id`, a fix, exit status 1, and no
/// file created or changed under `watched`.
fn refused(watched: &Path, dir: &Path, args: &[&str], id: &str) {
    let before = snapshot(watched);
    let out = cargo_fastapp(dir, args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
    assert!(
        stderr.contains(&format!("[{id}]")),
        "{args:?} should be {id}: {stderr}"
    );
    assert!(stderr.contains("= fix: "), "{args:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    assert_eq!(snapshot(watched), before, "{args:?} wrote something");
}

#[test]
fn bad_input_is_refused_with_the_rule_and_writes_nothing() {
    let root = tempfile::tempdir().unwrap();
    let r = root.path();
    let project = scaffold(r, "demo");
    succeeded(cargo_fastapp(&project, &["app", "new", "shop"]));
    std::fs::create_dir_all(project.join("src/apps/stray")).unwrap();
    let fastapp = support::workspace();
    let fastapp = fastapp.to_str().unwrap();

    // `new`
    for (name, id) in [
        ("Demo2", "name.E060"),
        ("2demo", "name.E060"),
        ("my-app", "name.E060"),
        ("a/b", "name.E060"),
        ("..", "name.E060"),
        ("type", "name.E061"),
        ("async", "name.E061"),
        ("std", "name.E062"),
        ("crate", "name.E062"),
        ("demo", "scaffold.E063"),
    ] {
        refused(r, r, &["new", name, "--fastapp-path", fastapp], id);
    }
    refused(
        r,
        r,
        &["new", "other", "--fastapp-path", r.to_str().unwrap()],
        "scaffold.E067",
    );

    // `app new` inside the project
    for (name, id) in [
        ("Shop", "name.E060"),
        ("../evil", "name.E060"),
        ("a\\b", "name.E060"),
        ("mod", "name.E061"),
        ("self", "name.E062"),
        ("super", "name.E062"),
        ("alloc", "name.E062"),
        ("core", "name.E062"),
        ("shop", "scaffold.E063"),
        ("serde", "scaffold.E064"),
        ("uuid", "scaffold.E064"),
        ("demo", "scaffold.E064"),
    ] {
        refused(r, &project, &["app", "new", name], id);
        refused(r, &project, &["app", "new", name, "--external"], id);
    }
    // A directory under src/apps/ that is not listed is still taken.
    refused(r, &project, &["app", "new", "stray"], "scaffold.E063");
    // From a subdirectory too: the project is found upwards.
    refused(
        r,
        &project.join("src/apps"),
        &["app", "new", "shop"],
        "scaffold.E063",
    );
    // An external crate directory that exists.
    std::fs::create_dir_all(project.join("taken")).unwrap();
    refused(
        r,
        &project,
        &["app", "new", "taken", "--external"],
        "scaffold.E063",
    );

    // Outside a project.
    let outside = tempfile::tempdir().unwrap();
    refused(
        outside.path(),
        outside.path(),
        &["app", "new", "shop"],
        "scaffold.E065",
    );

    // A project whose fastapp.toml does not parse.
    let broken = scaffold(r, "broken");
    std::fs::write(broken.join("fastapp.toml"), "apps = [\"apps.x\"\n").unwrap();
    refused(r, &broken, &["app", "new", "shop"], "config.E034");
    refused(r, &broken, &["app", "new", "shop", "--external"], "config.E034");
    std::fs::write(broken.join("fastapp.toml"), "apps = \"apps.x\"\n").unwrap();
    refused(r, &broken, &["app", "new", "shop"], "config.E034");

    // A src/apps/mod.rs that does not parse: nothing is written, not even the app's files.
    std::fs::write(broken.join("fastapp.toml"), "apps = []\n").unwrap();
    std::fs::write(broken.join("src/apps/mod.rs"), "pub mod {\n").unwrap();
    refused(r, &broken, &["app", "new", "shop"], "scaffold.E066");
}

#[test]
fn a_postgres_project_points_its_settings_at_postgres() {
    let root = tempfile::tempdir().unwrap();
    let fastapp = support::workspace();
    succeeded(cargo_fastapp(
        root.path(),
        &[
            "new",
            "pgsite",
            "--db",
            "postgres",
            "--fastapp-path",
            fastapp.to_str().unwrap(),
        ],
    ));
    let config = std::fs::read_to_string(root.path().join("pgsite/fastapp.toml")).unwrap();
    assert!(
        config.contains("database_url = \"postgres://localhost/pgsite\""),
        "{config}"
    );
    let env = std::fs::read_to_string(root.path().join("pgsite/.env.example")).unwrap();
    assert!(env.contains("DATABASE_URL=postgres://localhost/pgsite"), "{env}");
}

#[test]
fn an_external_app_made_outside_a_project_is_only_created() {
    let root = tempfile::tempdir().unwrap();
    let fastapp = support::workspace();
    let said = succeeded(cargo_fastapp(
        root.path(),
        &[
            "app",
            "new",
            "mailer",
            "--external",
            "--fastapp-path",
            fastapp.to_str().unwrap(),
        ],
    ));
    assert!(
        said.contains("to use it in a project: add `mailer = { path"),
        "{said}"
    );
    let entries: Vec<_> = std::fs::read_dir(root.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries, ["mailer"]);
    let migrations: Vec<_> = std::fs::read_dir(root.path().join("mailer/migrations"))
        .unwrap()
        .collect();
    assert_eq!(migrations.len(), 1);
}

#[test]
fn an_internal_app_gives_a_project_without_utoipa_the_crates_its_routes_are_documented_with() {
    // A project made before generated apps were documented.
    let root = tempfile::tempdir().unwrap();
    let project = scaffold(root.path(), "undoc");
    let manifest = project.join("Cargo.toml");
    let written = std::fs::read_to_string(&manifest).unwrap();
    let utoipa_lines: Vec<&str> = written.lines().filter(|l| l.starts_with("utoipa")).collect();
    assert_eq!(utoipa_lines.len(), 2, "{written}");
    for line in &utoipa_lines {
        support::edit(&manifest, &format!("{line}\n"), "");
    }

    succeeded(cargo_fastapp(&project, &["app", "new", "shop"]));
    let after = std::fs::read_to_string(&manifest).unwrap();
    for line in &utoipa_lines {
        assert!(after.contains(line), "`{line}` in {after}");
    }
    // Added once: a second app finds them there.
    succeeded(cargo_fastapp(&project, &["app", "new", "blog"]));
    assert_eq!(std::fs::read_to_string(&manifest).unwrap(), after);
}

#[test]
fn an_external_app_gives_a_project_without_a_link_package_one() {
    // A project made before link packages: no link/, no `<name>-link`.
    let root = tempfile::tempdir().unwrap();
    let project = scaffold(root.path(), "olden");
    std::fs::remove_dir_all(project.join("link")).unwrap();
    support::edit(
        &project.join("Cargo.toml"),
        "olden-link = { path = \"link\" }\n",
        "",
    );

    let said = succeeded(cargo_fastapp(&project, &["app", "new", "news", "--external"]));
    assert!(said.contains("a path dependency of the link package"), "{said}");
    let manifest = std::fs::read_to_string(project.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains(r#"olden-link = { path = "link" }"#),
        "{manifest}"
    );
    assert!(!manifest.contains("news"), "{manifest}");
    let link = std::fs::read_to_string(project.join("link/Cargo.toml")).unwrap();
    assert!(link.contains(r#"name = "olden-link""#), "{link}");
    assert!(link.contains(r#"news = { path = "../news" }"#), "{link}");
    assert!(std::fs::read_to_string(project.join("link/src/lib.rs"))
        .unwrap()
        .contains("fastapp_core::link!();"));

    let build = cargo(&project, &["build"]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let apps = succeeded(
        Command::new(support::target_dir().join("debug/olden"))
            .args(["apps", "list"])
            .current_dir(&project)
            .output()
            .unwrap(),
    );
    assert!(apps.lines().any(|l| l.starts_with("news\texternal")), "{apps}");
}
