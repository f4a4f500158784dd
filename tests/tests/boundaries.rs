//! The boundaries between apps, as a user meets them: by construction (a
//! scaffolded project whose core and internal app reach its external app in
//! shapes no text scan sees: rustc refuses every one), with fastapp's own
//! messages where its scan is sure, and declared dependencies reported the
//! same way by `check`, `apps graph` and start-up.
// Scaffolding shares the workspace's target directory (Unix paths).
#![cfg(unix)]

mod support;

use std::path::Path;
use std::process::Output;

use serde_json::{json, Value};
use support::{cargo_fastapp, edit, succeeded};

/// `cargo build` in `dir`, sharing the workspace's target directory.
fn cargo_build(dir: &Path) -> Output {
    support::cargo_in(dir, &["build", "--color", "never"])
}

/// Six shapes that reach the external app `news` where no text scan can
/// see it; each line that rustc must refuse ends with `// reaches news`.
/// `prefix` names the helper files (they sit beside the shapes' file).
fn shapes(prefix: &str) -> Vec<(String, String)> {
    vec![
        (
            format!("{prefix}shapes.rs"),
            format!(
                r#"//! Six ways to name the external app `news` that a text scan cannot see.
#![allow(dead_code, unused)]

// 1. Through a macro expansion.
macro_rules! grab {{
    () => {{
        news::register // reaches news
    }};
}}
pub fn by_macro() {{
    let _ = grab!();
}}

// 2. Through `include!`.
include!("{prefix}included.rs");

// 3. A module whose file an attribute computes.
#[cfg_attr(all(), path = "{prefix}hidden.rs")]
mod hidden;

// 4. A derive's string argument.
#[derive(serde::Serialize)]
pub struct Mail {{
    #[serde(serialize_with = "news::serialize")] // reaches news
    pub to: String,
}}

// 5. A `use … as` that binds only a value: `news` in the type namespace is
// still the crate.
mod values {{
    pub fn letter() {{}}
}}
use self::values::letter as news;
pub fn by_value_use() {{
    news();
    let _ = news::register; // reaches news
}}

// 6. A module a macro declares.
macro_rules! declare {{
    () => {{
        pub mod shim {{
            pub use news::register; // reaches news
        }}
    }};
}}
declare!();
"#
            ),
        ),
        (
            format!("{prefix}included.rs"),
            "pub fn by_include() {\n    let _ = news::register; // reaches news\n}\n".into(),
        ),
        (
            format!("{prefix}hidden.rs"),
            "pub fn by_computed_path() {\n    let _ = news::register; // reaches news\n}\n".into(),
        ),
    ]
}

/// Every `file:line` of `dir`'s files under `sub` whose line ends with
/// `// reaches news`.
fn marked_lines(dir: &Path, sub: &str, files: &[(String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    for (name, text) in files {
        for (i, line) in text.lines().enumerate() {
            if line.ends_with("// reaches news") {
                out.push(format!("{sub}/{name}:{}:", i + 1));
            }
        }
    }
    assert!(dir.join(sub).is_dir());
    out
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

#[test]
fn a_scaffolded_project_refuses_every_boundary_violation() {
    let root = tempfile::tempdir().unwrap();
    let workspace = support::workspace();
    succeeded(cargo_fastapp(
        root.path(),
        &["new", "town", "--fastapp-path", workspace.to_str().unwrap()],
    ));
    let project = root.path().join("town");
    succeeded(cargo_fastapp(&project, &["app", "new", "shop"]));
    succeeded(cargo_fastapp(&project, &["app", "new", "blog"]));
    succeeded(cargo_fastapp(&project, &["app", "new", "news", "--external"]));
    let build = cargo_build(&project);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let pristine: Vec<(std::path::PathBuf, String)> =
        ["Cargo.toml", "src/core/mod.rs", "src/apps/blog/mod.rs"]
            .iter()
            .map(|f| (project.join(f), std::fs::read_to_string(project.join(f)).unwrap()))
            .collect();

    // By construction: core and an internal app each reach `news` six ways.
    let mut expected = Vec::new();
    for (dir, module_file, prefix) in [
        ("src/core", "src/core/mod.rs", "core_"),
        ("src/apps/blog", "src/apps/blog/mod.rs", "blog_"),
    ] {
        let files = shapes(prefix);
        for (name, text) in &files {
            write(&project.join(dir).join(name), text);
        }
        let module = project.join(module_file);
        let text = std::fs::read_to_string(&module).unwrap();
        write(
            &module,
            &format!("{text}\n#[path = \"{prefix}shapes.rs\"]\nmod shapes;\n"),
        );
        expected.extend(marked_lines(&project, dir, &files));
    }
    assert_eq!(expected.len(), 12, "{expected:?}");
    // And where fastapp's scan is sure, its own rules.
    edit(
        &project.join("src/apps/blog/mod.rs"),
        "\nmod handlers;",
        "\npub mod handlers;",
    );
    write(
        &project.join("src/apps/blog/friendly.rs"),
        "#![allow(dead_code, unused)]\n\
         use crate::apps::shop::models::Item;\n\
         pub fn listed() -> Option<crate::apps::shop::api::Item> {\n    None\n}\n\
         pub fn mailed() {\n    let _ = news::register;\n}\n",
    );
    edit(
        &project.join("src/apps/blog/mod.rs"),
        "\nmod models;",
        "\nmod friendly;\nmod models;",
    );

    let build = cargo_build(&project);
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert!(!build.status.success(), "{stderr}");
    for at in &expected {
        assert!(
            stderr.contains(&format!("--> {at}")),
            "rustc refuses {at}:\n{stderr}"
        );
    }
    for id in ["app.E028", "isolation.E029", "isolation.E031", "isolation.E001"] {
        assert!(stderr.contains(&format!("[{id}]")), "{id}:\n{stderr}");
    }
    assert!(
        stderr.contains("src/apps/blog/friendly.rs:3:") && stderr.contains("uses = [\"shop\"]"),
        "the undeclared use names its place and the line to add:\n{stderr}"
    );

    // A dev-dependency on the external app would open the door to
    // `#[cfg(test)]` code: refused.
    for (path, text) in &pristine {
        write(path, text);
    }
    for dir in ["src/core", "src/apps/blog"] {
        for entry in std::fs::read_dir(project.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with("core_") || name.starts_with("blog_") || name == "friendly.rs" {
                std::fs::remove_file(path).unwrap();
            }
        }
    }
    edit(
        &project.join("Cargo.toml"),
        "[dev-dependencies]\n",
        "[dev-dependencies]\nnews = { path = \"news\" }\n",
    );
    let build = cargo_build(&project);
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert!(!build.status.success(), "{stderr}");
    assert!(
        stderr.contains("[link.E026] external app `news` is a dependency of the project package `town`"),
        "{stderr}"
    );
}

/// The example binary with `config` as its fastapp.toml.
fn example(config: &str, args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let config_path = dir.path().join("fastapp.toml");
    write(&config_path, config);
    support::example_command(dir.path(), &dir.path().join("x.db"), args)
        .env("FASTAPP_CONFIG", &config_path)
        .output()
        .unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|err| panic!("{err}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn ids(findings: &Value) -> Vec<(String, String)> {
    findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap().to_string(),
                f["app"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn declared_dependencies_in_check_graph_and_start_up() {
    const APPS: &str =
        "apps = [\"apps.accounts\", \"apps.blog\", \"newsletter\"]\n[settings]\npage_size = 20\n";

    // As the example declares them: clean, and every edge declared.
    let declared = format!("{APPS}[app.accounts]\nuses = []\n[app.blog]\nuses = [\"accounts\"]\n");
    let report = json(&example(&declared, &["check", "--json"]));
    assert_eq!(report["valid"], true, "{report}");
    assert_eq!(report["warnings"], json!([]), "{report}");
    let graph = json(&example(&declared, &["apps", "graph", "--json"]));
    assert_eq!(
        graph["edges"],
        json!([{ "from": "blog", "to": "accounts", "status": "declared" }])
    );
    assert_eq!(
        graph["apps"][1],
        json!({ "name": "blog", "kind": "internal", "uses": ["accounts"] })
    );

    // blog declares nothing (undeclared use), accounts declares what it
    // does not use: warnings, with the line to write.
    let loose = format!("{APPS}[app.accounts]\nuses = [\"blog\"]\n");
    let out = example(&loose, &["check", "--json"]);
    let report = json(&out);
    assert_eq!(report["valid"], true, "{report}");
    let warnings = ids(&report["warnings"]);
    assert!(
        warnings.contains(&("graph.W004".into(), "accounts".into())),
        "{report}"
    );
    assert!(warnings.contains(&("app.W005".into(), "blog".into())), "{report}");
    let w005 = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["id"] == "app.W005")
        .unwrap();
    assert!(
        w005["fix"]
            .as_str()
            .unwrap()
            .contains("`uses = [\"accounts\"]` under `[app.blog]`"),
        "{w005}"
    );
    let unused = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["id"] == "graph.W004")
        .unwrap();
    assert!(
        unused["location"].as_str().unwrap().ends_with("fastapp.toml:5:9"),
        "{unused}"
    );
    let graph = json(&example(&loose, &["apps", "graph", "--json"]));
    assert_eq!(
        graph["edges"],
        json!([
            { "from": "accounts", "to": "blog", "status": "unused" },
            { "from": "blog", "to": "accounts", "status": "undeclared" },
        ])
    );
    let mermaid = String::from_utf8(example(&loose, &["apps", "graph"]).stdout).unwrap();
    assert!(
        mermaid.contains("    blog -. undeclared .-> accounts\n"),
        "{mermaid}"
    );
    assert!(mermaid.contains("    accounts -. unused .-> blog\n"), "{mermaid}");

    // A config that forbids what the binary's code does: check and
    // start-up both refuse with the compile-time rule.
    let strict = format!("{APPS}[app.accounts]\nuses = []\n[app.blog]\nuses = []\n");
    let report = json(&example(&strict, &["check", "--json"]));
    assert_eq!(report["valid"], false, "{report}");
    assert!(
        ids(&report["errors"]).contains(&("isolation.E031".into(), "blog".into())),
        "{report}"
    );
    let serve = example(&strict, &["serve", "--port", "0"]);
    let stderr = String::from_utf8_lossy(&serve.stderr);
    assert_eq!(serve.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("[isolation.E031]") && stderr.contains("uses = [\"accounts\"]"),
        "{stderr}"
    );

    // `uses` naming no internal app, or on an external app: app.E032.
    let wrong = format!("{APPS}[app.blog]\nuses = [\"acounts\"]\n[app.newsletter]\nuses = []\n");
    let report = json(&example(&wrong, &["check", "--json"]));
    let errors = ids(&report["errors"]);
    assert!(errors.contains(&("app.E032".into(), "blog".into())), "{report}");
    assert!(
        errors.contains(&("app.E032".into(), "newsletter".into())),
        "{report}"
    );
}
