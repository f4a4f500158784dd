//! Isolation in a real project (scaffolded, built by cargo): a dependency
//! renamed in Cargo.toml is still the external app, in an internal app
//! (isolation.E001) and in core (isolation.E009). The trybuild suite
//! (`tests/ui`) covers the other ways to name a crate and the legal
//! look-alikes; this one needs a Cargo.toml of its own.
// Spawns cargo-fastapp and cargo; Unix paths throughout.
#![cfg(unix)]

mod support;

use support::edit;

use std::path::Path;
use std::process::{Command, Output};

fn run(dir: &Path, program: &Path, args: &[&str]) -> Output {
    Command::new(program)
        .current_dir(dir)
        .args(args)
        .env("CARGO_TARGET_DIR", support::workspace().join("target"))
        .output()
        .unwrap()
}

fn build(project: &Path) -> (bool, String) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = run(project, Path::new(&cargo), &["build", "--message-format=short"]);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_renamed_dependency_is_still_the_external_app() {
    let root = tempfile::tempdir().unwrap();
    let cf = support::cargo_fastapp_binary();
    let workspace = support::workspace();
    support::succeeded(run(
        root.path(),
        cf,
        &[
            "fastapp",
            "new",
            "renamed",
            "--fastapp-path",
            workspace.to_str().unwrap(),
        ],
    ));
    let project = root.path().join("renamed");
    support::succeeded(run(&project, cf, &["fastapp", "app", "new", "shop"]));
    support::succeeded(run(
        &project,
        cf,
        &["fastapp", "app", "new", "news", "--external"],
    ));

    // The code calls the crate `letters`; fastapp.toml lists its package, `news`.
    edit(
        &project.join("Cargo.toml"),
        "news = { path = \"news\" }",
        "letters = { path = \"news\", package = \"news\" }",
    );
    let (built, stderr) = build(&project);
    assert!(built, "a renamed external app links: {stderr}");

    let handlers = project.join("src/apps/shop/handlers.rs");
    let original = std::fs::read_to_string(&handlers).unwrap();
    std::fs::write(&handlers, format!("use letters::Item as _Leak;\n{original}")).unwrap();
    let (built, stderr) = build(&project);
    assert!(!built);
    assert!(
        stderr.contains("[isolation.E001] internal app `shop` uses external app `news`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("src/apps/shop/handlers.rs:1:5: `use letters::Item as _Leak;`"),
        "{stderr}"
    );
    std::fs::write(&handlers, original).unwrap();

    edit(
        &project.join("src/core/mod.rs"),
        "pub mod settings;",
        "pub mod settings;\n\npub use letters::Item;",
    );
    let (built, stderr) = build(&project);
    assert!(!built);
    assert!(
        stderr.contains("[isolation.E009] core uses external app `news`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("src/core/mod.rs:7:9: `pub use letters::Item;`"),
        "{stderr}"
    );
}
