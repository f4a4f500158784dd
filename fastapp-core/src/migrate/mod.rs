//! The migration runner: one code path for core's shared migrations
//! (tracked in diesel's own `__diesel_schema_migrations`, so the diesel CLI
//! keeps working) and each external app's embedded migrations (tracked in
//! `__fastapp_migrations_<app>`).
//!
//! Before anything runs, every selected set is verified: an applied version
//! whose migration is gone, an applied migration whose SQL changed since it
//! ran (checksums in `__fastapp_checksums`), and an external app's migration
//! that touches a table it does not own are errors. Each migration then
//! runs in its own transaction with the row that records it. One whose
//! `metadata.toml` says `run_in_transaction = false` (for `CREATE INDEX
//! CONCURRENTLY`) holds exactly one statement, and is marked unfinished
//! while it runs: if it fails or the runner dies, the next run refuses
//! (`migration.E054`) until `migrate resolve` says what happened. The caller
//! holds [`with_lock`] around the whole run.

pub mod baseline;
pub mod baseline_sql;
pub(crate) mod dev;
pub(crate) mod drift;
mod fault;
pub mod guard;
mod history;
mod lock;
mod resolve;
mod revert;
mod run;
mod set;
pub(crate) mod startup;
mod verify;

pub use history::{AppliedRow, UnfinishedRow, CHECKSUM_TABLE, UNFINISHED_TABLE};
pub use lock::with_lock;
pub use resolve::{resolve, Resolution};
pub use revert::{revert, Revert};
pub(crate) use run::migrate_scratch;
pub use run::{database_tables, migrate, plan, set_ddl_lock_timeout, status, Done, SetStatus, Target};
pub use set::{Migration, MigrationSet, DIESEL_VERSION_TABLE};
pub use verify::verify;

// What the parts above share with each other.
use resolve::unfinished_error;
use run::{migration_failed, one_statement, step};
use set::db_error;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::DbConnection;
    use crate::Error;

    static TWO_STATEMENTS: [Migration; 1] = [Migration {
        name: "2024-01-01-000001_two",
        version: "20240101000001",
        up: "CREATE TABLE a (id INT);\nCREATE INDEX a_id ON a (id);",
        down: None,
        run_in_transaction: false,
    }];

    static FAILING: [Migration; 2] = [
        Migration {
            name: "2024-01-01-000001_create_a",
            version: "20240101000001",
            up: "CREATE TABLE a (id INT);",
            down: None,
            run_in_transaction: true,
        },
        Migration {
            name: "2024-01-01-000002_fill_b",
            version: "20240101000002",
            up: "INSERT INTO b (id) VALUES (1); -- no table b",
            down: None,
            run_in_transaction: false,
        },
    ];

    fn run(conn: &mut DbConnection, set: &MigrationSet) -> Result<Vec<Done>, Error> {
        migrate(
            conn,
            std::slice::from_ref(set),
            std::slice::from_ref(set),
            Target::Latest,
        )
    }

    #[test]
    fn a_migration_outside_a_transaction_must_be_one_statement() {
        let mut conn = crate::db::connect(":memory:").unwrap();
        let set = MigrationSet::core(&TWO_STATEMENTS);
        let err = run(&mut conn, &set).unwrap_err();
        assert_eq!(err.findings()[0].id, "migration.E055");
        assert!(err.to_string().contains("up.sql holds 2 statements"), "{err}");
        assert!(!history::table_exists(&mut conn, "a").unwrap(), "nothing ran");
    }

    #[test]
    fn a_failed_migration_outside_a_transaction_stays_marked_until_resolved() {
        let mut conn = crate::db::connect(":memory:").unwrap();
        let set = MigrationSet::core(&FAILING);
        let err = run(&mut conn, &set).unwrap_err();
        assert_eq!(err.findings()[0].id, "migration.E040");
        let status = &status(&mut conn, std::slice::from_ref(&set)).unwrap()[0];
        assert_eq!(status.applied.len(), 1);
        assert_eq!(status.unfinished.len(), 1);
        assert!(
            status.unfinished[0].error.contains("no such table"),
            "{:?}",
            status.unfinished
        );
        // Not re-run blindly: refused until someone says what happened.
        let err = run(&mut conn, &set).unwrap_err();
        assert_eq!(err.findings()[0].id, "migration.E054");
        let err = resolve(&mut conn, &set, &FAILING[0], Resolution::Applied).unwrap_err();
        assert_eq!(err.findings()[0].id, "migration.E056");
        resolve(&mut conn, &set, &FAILING[1], Resolution::RolledBack).unwrap();
        assert!(status_of(&mut conn, &set).unfinished.is_empty());
        // It runs again (and fails again, the same way).
        assert_eq!(
            run(&mut conn, &set).unwrap_err().findings()[0].id,
            "migration.E040"
        );
        resolve(&mut conn, &set, &FAILING[1], Resolution::Applied).unwrap();
        let status = status_of(&mut conn, &set);
        assert_eq!(status.applied.len(), 2);
        assert!(status.pending.is_empty() && status.unfinished.is_empty());
    }

    fn status_of(conn: &mut DbConnection, set: &MigrationSet) -> SetStatus {
        status(conn, std::slice::from_ref(set)).unwrap().remove(0)
    }
}
