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
