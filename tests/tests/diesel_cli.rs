//! The shared migrations keep working with the real diesel CLI, and the
//! schema it writes does not pick up the external app's tables.

mod support;

use std::process::Command;

fn diesel(args: &[&str], db: &std::path::Path) -> std::process::Output {
    Command::new("diesel")
        .current_dir(support::example_dir())
        .args(args)
        .env("DATABASE_URL", db)
        .output()
        .expect("the diesel CLI is installed (bash .ci/run installs it)")
}

#[test]
fn diesel_cli_runs_the_shared_migrations_and_agrees_with_fastapp() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");

    // fastapp applies core + newsletter; diesel then sees core's as applied.
    let migrate = support::example_command(dir.path(), &db, &["migrate"])
        .output()
        .unwrap();
    assert!(
        migrate.status.success(),
        "{}",
        String::from_utf8_lossy(&migrate.stderr)
    );
    let list = diesel(&["migration", "list"], &db);
    assert!(list.status.success(), "{}", String::from_utf8_lossy(&list.stderr));
    let list = String::from_utf8(list.stdout).unwrap();
    assert!(
        list.contains("[X] 2024-01-01-000001_accounts_create_users"),
        "{list}"
    );
    assert!(list.contains("[X] 2024-01-01-000002_blog_create_posts"), "{list}");

    // The schema diesel prints (with the project's diesel.toml filter) is the
    // committed shared schema: no `subscribers`, though that table exists.
    let printed = diesel(&["print-schema"], &db);
    assert!(
        printed.status.success(),
        "{}",
        String::from_utf8_lossy(&printed.stderr)
    );
    let printed = String::from_utf8(printed.stdout).unwrap();
    let committed = std::fs::read_to_string(support::example_dir().join("src/core/schema.rs")).unwrap();
    assert_eq!(printed.trim(), committed.trim());
    assert!(!printed.contains("subscribers"));
}

#[test]
fn diesel_migration_run_on_a_fresh_database_leaves_the_schema_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fresh.db");
    // --locked-schema fails if `migration run` would rewrite src/core/schema.rs.
    let run = diesel(&["migration", "run", "--locked-schema"], &db);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    // fastapp then applies only the external app's migrations.
    let migrate = support::example_command(dir.path(), &db, &["migrate"])
        .output()
        .unwrap();
    assert!(
        migrate.status.success(),
        "{}",
        String::from_utf8_lossy(&migrate.stderr)
    );
    let out = String::from_utf8(migrate.stdout).unwrap();
    assert!(!out.contains("applied core"), "{out}");
    assert!(
        out.contains("applied newsletter 2024-01-01-000001_create_subscribers"),
        "{out}"
    );
}
