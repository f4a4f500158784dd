//! The rules of the migration runner.

use super::rule::{Rule, Stage};

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "migration.E040",
        aliases: &[],
        stage: Stage::Migrate,
        title: "a migration failed",
        why: "Each migration runs in its own transaction together with the row that records it, so a failed one is rolled back, earlier ones stay applied, and the run stops instead of going on against a schema later migrations do not expect. On PostgreSQL a statement that waited longer than `ddl_lock_timeout` for a table lock fails this way too, naming the lock timeout; a `run_in_transaction = false` migration is not rolled back (see `migration.E054`).",
        fix: "correct the migration's SQL and run `migrate` again (after a lock timeout: run it again once the blocking query or transaction is over, or raise `ddl_lock_timeout`)",
        example: r#"-- migrations/2024-02-01-000002_blog_add_summary/up.sql
ALTER TABLE post ADD COLUMN summary TEXT;      -- the table is `posts`

$ cargo run -- migrate"#,
    },
    Rule {
        id: "migration.E041",
        aliases: &[],
        stage: Stage::Migrate,
        title: "an applied migration's directory is gone",
        why: "The database records a version this build has no migration for: a newer build applied it, or its directory was deleted or renamed. Running on would leave the schema out of step with the code, with nothing that could revert it.",
        fix: "run the build that applied it (or rebuild this one from the same source); else restore the migration directory (e.g. from version control); if it was removed on purpose, revert its changes by hand and delete its version from the version table",
        example: r#"$ cargo run -- migrate
$ git rm -r migrations/2024-01-01-000002_blog_create_posts
$ cargo run -- migrate"#,
    },
    Rule {
        id: "migration.E042",
        aliases: &[],
        stage: Stage::Migrate,
        title: "an applied migration was edited after it ran",
        why: "Each migration's SQL is recorded by its SHA-256 (in `__fastapp_checksums`) when it runs; an edited one would leave databases that ran the old SQL and databases that run the new one with different schemas. Only the servers `cargo fastapp dev` starts redo an edited migration, on the development database, with the `down.sql` they applied it with.",
        fix: "restore the migration's original SQL and put the change in a new migration",
        example: r#"-- migrations/2024-01-01-000001_accounts_create_users/up.sql, edited after `migrate` ran it
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    created_at TEXT
);"#,
    },
    Rule {
        id: "migration.E043",
        aliases: &[],
        stage: Stage::Migrate,
        title: "an external app's pending migration changes a table it does not own",
        why: "An external app's migrations may create and change only its own tables. A pending migration (up or down) that creates, alters, renames, drops, truncates, indexes, puts a trigger on or writes another's table (INSERT, UPDATE, DELETE, MERGE, COPY … FROM, REPLACE, upserts, a trigger body's writes), or drops or alters one of its indexes (`DROP INDEX`, `ALTER INDEX`: an index is its table's), is refused before anything runs, quoted, schema-qualified and comment-split names included. Reading one (SELECT, views, foreign keys) is fine, and a view the app creates is its own (an `INSTEAD OF` trigger on it writing its own tables passes); SQL is read with `sqlparser` (SQLite, then PostgreSQL dialect).",
        fix: "remove the statement from the external app's migration (reading other tables is fine); change shared tables with a core migration",
        example: r#"-- newsletter/migrations/2024-02-01-000001_subscribe_users/up.sql
ALTER TABLE users ADD COLUMN subscribed BOOLEAN NOT NULL DEFAULT FALSE;"#,
    },
    Rule {
        id: "migration.E044",
        aliases: &[],
        stage: Stage::Migrate,
        title: "a migration to revert has no `down.sql`",
        why: "`migrate revert` checks that every migration it would revert can be reverted before it reverts any, so a revert never stops half-way. A baseline has no down.sql on purpose: where it was adopted its tables are the project's history, and `migrate revert <app>` refuses to drop them.",
        fix: "add a down.sql that undoes the migration's up.sql, or revert fewer steps",
        example: r#"$ ls migrations/2024-02-01-000002_seed_items/
up.sql
$ cargo run -- migrate revert --steps 2"#,
    },
    Rule {
        id: "migration.E045",
        aliases: &[],
        stage: Stage::Migrate,
        title: "`--to` names no migration",
        why: "`migrate --to` and `migrate revert --to` stop at one exact migration: a directory name must match whole, a version or dashed prefix matches by version, and a version that several apps' migrations share must name the app. A guess would run or revert the wrong migrations. (`migrate baseline` naming a table no core migration creates is refused with this id too.)",
        fix: "give a migration's directory name or version (`migrate status` lists them), or name the app (`migrate core --to …`, `migrate app <name> --to …`)",
        example: r#"$ cargo run -- migrate --to 2024-02-01-000001_totally_bogus
$ cargo run -- migrate revert newsletter --to 1999-01-01-000000_x"#,
    },
    Rule {
        id: "migration.E046",
        aliases: &[],
        stage: Stage::Migrate,
        title: "the app has no migrations of its own",
        why: "Only `core` and external apps have migration sets: internal apps share core's migrations (tracked in diesel's own table), so `migrate app <internal app>` has nothing of its own to run, and a name that is no app of the project (also for `makemigrations`) names nothing.",
        fix: "use `migrate core` (or `migrate revert core`) for an internal app; otherwise name `core` or an external app (`apps list` shows them)",
        example: r#"# fastapp.toml
apps = ["apps.blog", "newsletter"]

$ cargo run -- migrate app blog"#,
    },
    Rule {
        id: "migration.E047",
        aliases: &[],
        stage: Stage::Migrate,
        title: "an app name cannot name a version table",
        why: "An external app's migrations are tracked in `__fastapp_migrations_<app>`, so its name must be `[a-z][a-z0-9_]*`. The macros already refuse other names (`app.E006`); this guards a migration set built by hand.",
        fix: "rename the app to `[a-z][a-z0-9_]*`",
        example: r#"// a migration set built by hand
let set = fastapp_core::migrate::MigrationSet::external("news-letter", MIGRATIONS)?;"#,
    },
    Rule {
        id: "migration.E048",
        aliases: &[],
        stage: Stage::Migrate,
        title: "`makemigrations` for an external app",
        why: "An external app's migrations live in its own crate (embedded by `#[external_app]` and tracked in its own table), not in the project's migrations/, so the project cannot generate them.",
        fix: "in the app's crate, run `diesel migration generate <name> --migration-dir migrations` (with its own diesel.toml), write up.sql/down.sql, and rebuild the project",
        example: "$ cargo run -- makemigrations newsletter add_topic",
    },
    Rule {
        id: "migration.E049",
        aliases: &[],
        stage: Stage::Migrate,
        title: "`makemigrations` could not run",
        why: "`makemigrations` reads the project's source tree where it was built (or `FASTAPP_SOURCE_ROOT`), applies core's migrations to a scratch database and runs the diesel CLI; a migration name that is not lower-case letters, digits and `_`, a source tree with no diesel.toml, or a failing diesel CLI stops it. A diesel CLI that is not installed is `io.E090`, with how to install it.",
        fix: "use a name like `add_post_slug`, run it from a checkout of the project, and read the diesel CLI's message (the shared schema.rs must compile and differ from the migrations)",
        example: r#"$ cargo run -- makemigrations blog Add-Slug
$ FASTAPP_SOURCE_ROOT=/tmp cargo run -- makemigrations blog add_slug"#,
    },
    Rule {
        id: "migration.E050",
        aliases: &[],
        stage: Stage::Migrate,
        title: "migrations are pending where none may be",
        why: "In a rolling deploy `migrate` runs once, as a release step, and replicas start with `serve --no-migrate`: a replica that finds a migration of its build pending refuses to start rather than serve against a schema its code does not expect. `migrate --check` reports the same and applies nothing.",
        fix: "run `migrate` (once, as a release step) before starting servers with --no-migrate",
        example: r#"$ cargo run -- serve --no-migrate
$ cargo run -- migrate --check      # in CI: exit 1, listing what is pending"#,
    },
    Rule {
        id: "migration.E051",
        aliases: &[],
        stage: Stage::Migrate,
        title: "an external app's pending migration cannot be read, so its tables cannot be checked",
        why: "`migration.E043` can hold only SQL it can read: a pending migration of an external app that does not parse, or whose comments SQLite and PostgreSQL read differently (a `/*` inside a `/* … */`: PostgreSQL nests it, SQLite does not, so one of them would run statements the other reading hides), is refused. The readable statements are still checked: the file is split at the `;`s of its tokens under both readings (never one in a string, comment or quoted name), and a piece that does not parse is still searched for statements that do (a trigger's body, a `DO` block's statements).",
        fix: "write SQL that SQLite or PostgreSQL accepts, or put the line `-- fastapp: unchecked` in the file to let the unreadable statements through, visibly in review",
        example: r#"-- newsletter/migrations/2024-02-01-000003_archive/up.sql
/* old: /* nested */ DROP TABLE users; */
CREATE TABLE newsletter_archive (id TEXT PRIMARY KEY);"#,
    },
    Rule {
        id: "migration.E052",
        aliases: &[],
        stage: Stage::Migrate,
        title: "another run held the migration lock for all of `migrate_lock_timeout`",
        why: "Concurrent runners are serialised (a session-level PostgreSQL advisory lock; an OS lock on `<db>.migrate.lock` beside a SQLite file), so two replicas never migrate at once. A run that waited `migrate_lock_timeout` seconds gives up naming the holder (PostgreSQL: pid, application, since when; SQLite: the pid in the lock file); a killed holder's lock is released with it.",
        fix: "wait for that run to finish (or stop it), then run `migrate` again; raise `migrate_lock_timeout` to wait longer",
        example: r#"$ cargo run -- migrate &                  # a long migration holds the lock
$ MIGRATE_LOCK_TIMEOUT=5 cargo run -- migrate"#,
    },
    Rule {
        id: "migration.E053",
        aliases: &[],
        stage: Stage::Migrate,
        title: "the models or schema.rs and the migrations disagree (schema drift)",
        why: "A model and schema.rs changed without the migration that makes the change build fine, then fail every query of that model. Each `#[model]` records the columns it reads: `check` applies the binary's migrations to a private in-memory SQLite database and names each model, table and column they do not make, and `serve` (so `dev`) warns the same against the served database after migrating; `makemigrations --check` compares schema.rs itself with core's migrations (with the diesel CLI).",
        fix: "create the migration that makes the change, `makemigrations <app> <name>` (it diffs schema.rs against the migrations), review its SQL, rebuild and `migrate`; or take the column out of the model and schema.rs",
        example: r#"// src/apps/blog/models.rs (`pinned -> Bool` added to `posts` in schema.rs by hand)
#[fastapp_core::model(table = posts)]
pub struct Post { pub id: String, pub title: String, pub pinned: bool }

$ cargo run -- check      # no migration adds posts.pinned"#,
    },
    Rule {
        id: "migration.E054",
        aliases: &[],
        stage: Stage::Migrate,
        title: "a migration run outside a transaction did not finish",
        why: "A migration with `run_in_transaction = false` (for PostgreSQL's `CREATE INDEX CONCURRENTLY`) is marked in `__fastapp_unfinished` while it runs. If it fails or the runner dies the mark stays, and every later run refuses instead of re-running it blindly, since it may have partly run and was not rolled back; `migrate status` shows it `[?]`.",
        fix: "look at what it left (e.g. an INVALID index from CREATE INDEX CONCURRENTLY: DROP INDEX it), then run `migrate resolve <app> <migration> --rolled-back` to have it run again, or `--applied` if you completed it by hand",
        example: r#"# migrations/2024-03-01-000001_blog_unique_titles/metadata.toml
run_in_transaction = false

-- migrations/2024-03-01-000001_blog_unique_titles/up.sql
CREATE UNIQUE INDEX CONCURRENTLY posts_title ON posts (title);   -- two posts share a title"#,
    },
    Rule {
        id: "migration.E055",
        aliases: &[],
        stage: Stage::Migrate,
        title: "a migration with `run_in_transaction = false` holds more than one statement",
        why: "Outside a transaction a failure half-way would leave the rest unknown, so such a migration must be exactly one statement; this is checked before anything runs, and nothing runs.",
        fix: "move the statement that needs it (e.g. CREATE INDEX CONCURRENTLY) into a migration of its own, and the rest into one that runs in a transaction",
        example: r#"# migrations/2024-03-01-000001_blog_index_titles/metadata.toml
run_in_transaction = false

-- migrations/2024-03-01-000001_blog_index_titles/up.sql
CREATE INDEX CONCURRENTLY posts_title ON posts (title);
ALTER TABLE posts ADD COLUMN slug TEXT;"#,
    },
    Rule {
        id: "migration.E056",
        aliases: &[],
        stage: Stage::Migrate,
        title: "`migrate resolve` names a migration that is not unfinished",
        why: "`migrate resolve` settles only what `migrate status` marks `[?]`: a migration outside a transaction that failed or was cut off. Recording any other migration as applied or rolled back by hand would make the history lie.",
        fix: "use `migrate` and `migrate revert` for the rest (`migrate status` shows which migrations are unfinished)",
        example: "$ cargo run -- migrate resolve core 2024-01-01-000001_accounts_create_users --applied",
    },
    Rule {
        id: "migration.E057",
        aliases: &[],
        stage: Stage::Migrate,
        title: "a baseline meets some of its tables, or tables that differ from what it creates",
        why: "An extracted app's first migration, its baseline (marked `-- fastapp: baseline`), creates tables that may exist already: it is adopted (recorded, not run) where every table and column it creates exists with a matching type, and runs where none exists. Anything in between would fail or adopt a schema the app's code does not expect, so it neither runs nor is recorded, and each difference is named.",
        fix: "bring the database to the project's schema first (run the migrations of the build the app was extracted from), or, on a database that must not keep these tables, drop them",
        example: r#"-- shop/migrations/2024-05-01-000000_baseline/up.sql
-- fastapp: baseline
CREATE TABLE shop_items (id TEXT PRIMARY KEY, name TEXT NOT NULL, price INTEGER);

$ cargo run -- migrate     # the database's shop_items has no `price`"#,
    },
];
