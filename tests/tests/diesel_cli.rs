//! The schema the diesel CLI writes for the shared migrations does not pick
//! up the external app's tables (diesel.toml filters them), and diesel sees
//! what fastapp applied. (`migrations.rs` covers `diesel migration run`
//! followed by fastapp, on both backends.)

mod support;

use std::path::Path;

#[test]
fn diesel_cli_agrees_with_fastapp_and_the_schema_stays_shared_only() {
    for db in support::backends() {
        // fastapp applies core + newsletter; diesel then sees core's as applied.
        let (code, _, err) = support::example(&db, &["migrate"]);
        assert_eq!(code, 0, "{err}");
        let list = support::diesel(&["migration", "list"], &db.url, &support::example_dir());
        assert!(list.status.success(), "{}", String::from_utf8_lossy(&list.stderr));
        let list = String::from_utf8(list.stdout).unwrap();
        assert!(
            list.contains("[X] 2024-01-01-000001_accounts_create_users"),
            "{list}"
        );
        assert!(list.contains("[X] 2024-01-01-000002_blog_create_posts"), "{list}");

        // The schema diesel prints (with the project's diesel.toml filter) is
        // the committed shared schema: no `subscribers`, though it exists.
        assert!(db.tables().contains(&"subscribers".to_string()));
        let printed = support::diesel(&["print-schema"], &db.url, &support::example_dir());
        assert!(
            printed.status.success(),
            "{}",
            String::from_utf8_lossy(&printed.stderr)
        );
        let printed = String::from_utf8(printed.stdout).unwrap();
        assert!(!printed.contains("subscribers"), "{printed}");
        if db.backend == "sqlite" {
            // (PostgreSQL prints its own type names; SQLite is what the committed file was written from.)
            let committed =
                std::fs::read_to_string(Path::new(&support::example_dir()).join("src/core/schema.rs"))
                    .unwrap();
            assert_eq!(printed.trim(), committed.trim());
        } else {
            assert!(
                printed.contains("posts (id)") && printed.contains("users (id)"),
                "{printed}"
            );
        }
    }
}

/// The diesel workflow a user follows to add a column — `diesel migration
/// generate`, an `ALTER TABLE … ADD COLUMN`, `diesel migration run` (which
/// rewrites the shared schema.rs) — on a copy of the example: the project
/// still builds, because handlers return `Model::COLUMNS` (the model's own
/// columns) rather than the table's `all_columns`, and the new migration runs.
#[test]
fn adding_a_nullable_column_with_the_diesel_cli_breaks_nothing() {
    let root = tempfile::tempdir().unwrap();
    let project = root.path().join("example-project");
    support::copy_dir(&support::example_dir(), &project);
    write_copy_workspace(root.path());

    // The copy's packages get their own names (the link package's follows
    // the project's): they share the workspace's target directory (and so its
    // compiled dependencies) without replacing the example's binary there.
    for (manifest, from, to) in [
        (
            "Cargo.toml",
            "name = \"example-project\"",
            "name = \"example-copy\"",
        ),
        ("Cargo.toml", "example-project-link = ", "example-copy-link = "),
        (
            "link/Cargo.toml",
            "name = \"example-project-link\"",
            "name = \"example-copy-link\"",
        ),
    ] {
        support::edit(&project.join(manifest), from, to);
    }

    let dev_db = root.path().join("dev.db").display().to_string();
    let generate = support::diesel(&["migration", "generate", "blog_add_slug"], &dev_db, &project);
    assert!(
        generate.status.success(),
        "{}",
        String::from_utf8_lossy(&generate.stderr)
    );
    let created: Vec<_> = std::fs::read_dir(project.join("migrations"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with("_blog_add_slug"))
        .collect();
    assert_eq!(created.len(), 1, "{created:?}");
    std::fs::write(
        created[0].join("up.sql"),
        "ALTER TABLE posts ADD COLUMN slug TEXT;\n",
    )
    .unwrap();
    std::fs::write(
        created[0].join("down.sql"),
        "ALTER TABLE posts DROP COLUMN slug;\n",
    )
    .unwrap();

    let run = support::diesel(&["migration", "run"], &dev_db, &project);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let schema = std::fs::read_to_string(project.join("src/core/schema.rs")).unwrap();
    assert!(
        schema.contains("slug -> Nullable<Text>"),
        "diesel rewrote schema.rs:\n{schema}"
    );

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let build = std::process::Command::new(cargo)
        .current_dir(root.path())
        .args(["build", "-p", "example-copy", "--message-format=short"])
        .env("CARGO_TARGET_DIR", support::target_dir())
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "the example no longer builds after adding a nullable column:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );

    // The rebuilt binary embeds the new migration and runs it; blog still
    // creates posts (their slug is NULL).
    let binary = support::target_dir().join("debug/example-copy");
    let app_db = root.path().join("app.db");
    let migrate = std::process::Command::new(&binary)
        .current_dir(root.path())
        .args(["migrate"])
        .env("DATABASE_URL", &app_db)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&migrate.stdout);
    assert!(
        migrate.status.success(),
        "{}",
        String::from_utf8_lossy(&migrate.stderr)
    );
    assert!(said.contains("_blog_add_slug"), "{said}");
}

/// A workspace around the copied example: the repository's own
/// `Cargo.toml`, with fastapp's crates by absolute path, and its lock file.
fn write_copy_workspace(root: &Path) {
    let workspace = support::workspace();
    let text = std::fs::read_to_string(workspace.join("Cargo.toml")).unwrap();
    let mut manifest: toml::Table = toml::from_str(&text).unwrap();
    let ws = manifest["workspace"].as_table_mut().unwrap();
    let members = toml::Value::Array(vec![
        "example-project".into(),
        "example-project/link".into(),
        "example-project/newsletter".into(),
    ]);
    ws.insert("members".into(), members.clone());
    ws.insert("default-members".into(), members);
    let deps = ws["dependencies"].as_table_mut().unwrap();
    for krate in ["fastapp-core", "fastapp-macros"] {
        let path = workspace.join(krate).display().to_string();
        deps[krate]
            .as_table_mut()
            .unwrap()
            .insert("path".into(), path.into());
    }
    std::fs::write(root.join("Cargo.toml"), toml::to_string(&manifest).unwrap()).unwrap();
    std::fs::copy(workspace.join("Cargo.lock"), root.join("Cargo.lock")).unwrap();
}
