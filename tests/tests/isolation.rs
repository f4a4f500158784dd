//! Isolation in a real project (scaffolded, built by cargo): an external app
//! renamed in the link package's Cargo.toml links under its new name, and
//! neither name resolves in the project package: fastapp's message where
//! its scan is sure (`news`, in an internal app and in core), rustc's
//! unresolved import for the rename only the link package knows. The
//! trybuild suite (`tests/ui`) covers the other ways to name a crate and
//! the legal look-alikes; this one needs Cargo.toml files of its own.
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
        .env("CARGO_TARGET_DIR", support::target_dir())
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

    // The link package calls the crate `letters`; fastapp.toml lists its package, `news`.
    edit(
        &project.join("link/Cargo.toml"),
        "news = { path = \"../news\" }",
        "letters = { path = \"../news\", package = \"news\" }",
    );
    let (built, stderr) = build(&project);
    assert!(built, "a renamed external app links: {stderr}");
    let binary = support::target_dir().join("debug/renamed");
    let apps = support::succeeded(run(&project, &binary, &["apps", "list"]));
    assert!(apps.lines().any(|l| l.starts_with("news\texternal")), "{apps}");

    // (In mod.rs: handlers.rs's `use diesel::prelude::*;` could bind any
    // name, so there the scan leaves `news` to rustc.)
    let handlers = project.join("src/apps/shop/mod.rs");
    let original = std::fs::read_to_string(&handlers).unwrap();
    std::fs::write(
        &handlers,
        format!("{original}use letters::Item as _Leak;\nuse news::Item as _Named;\n"),
    )
    .unwrap();
    let (built, stderr) = build(&project);
    assert!(!built);
    // Neither name is a crate of the project package.
    let (leak, named) = (original.lines().count() + 1, original.lines().count() + 2);
    assert!(
        stderr.contains(&format!(
            "src/apps/shop/mod.rs:{leak}:5: error[E0432]: unresolved import `letters`"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "src/apps/shop/mod.rs:{named}:5: error[E0432]: unresolved import `news`"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("[isolation.E001] internal app `shop` uses external app `news`")
            && stderr.contains(&format!(
                "src/apps/shop/mod.rs:{named}:5: `use news::Item as _Named;`"
            )),
        "{stderr}"
    );
    std::fs::write(&handlers, original).unwrap();

    edit(
        &project.join("src/core/mod.rs"),
        "pub mod settings;",
        "pub mod settings;\n\npub use news::Item;",
    );
    let (built, stderr) = build(&project);
    assert!(!built);
    assert!(
        stderr.contains("[isolation.E037] core uses external app `news`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("src/core/mod.rs:7:9: `pub use news::Item;`"),
        "{stderr}"
    );
}
