//! The runner: what is applied ([`status`]), what would run ([`plan`]), and
//! running it ([`migrate`]), each migration in its own transaction.

use diesel::connection::SimpleConnection;
use diesel::Connection;

use crate::db::DbConnection;
use crate::{Error, Finding};

use super::{
    baseline, db_error, fault, guard, history, verify, AppliedRow, Migration, MigrationSet, UnfinishedRow,
};

/// What one set looks like in the database (see [`status`], whose example
/// reads every field).
#[derive(Debug, Clone)]
pub struct SetStatus {
    /// The app (`core` for the shared set).
    pub app: String,
    /// Its version table.
    pub table: String,
    /// Applied migrations, oldest first: row, and the migration if still present.
    pub applied: Vec<(AppliedRow, Option<&'static Migration>)>,
    /// Pending migrations, in run order.
    pub pending: Vec<&'static Migration>,
    /// Versions of applied migrations whose SQL changed since they ran
    /// (recorded checksum ≠ the embedded up.sql's; `migration.E042`).
    pub edited: Vec<String>,
    /// Migrations run outside a transaction that failed or were cut off
    /// (`migration.E054`), until `migrate resolve`.
    pub unfinished: Vec<UnfinishedRow>,
}

/// Status of every set; reads only, creates nothing.
///
/// ```
/// # use fastapp_core::{db, migrate::{self, Migration, MigrationSet}};
/// # static MIGRATIONS: [Migration; 2] = [
/// #     Migration { name: "2024-01-01-000001_create_notes", version: "20240101000001",
/// #         up: "CREATE TABLE notes (id INTEGER PRIMARY KEY);", down: Some("DROP TABLE notes;"), run_in_transaction: true },
/// #     Migration { name: "2024-01-01-000002_add_title", version: "20240101000002",
/// #         up: "ALTER TABLE notes ADD COLUMN title TEXT;", down: None, run_in_transaction: true },
/// # ];
/// # let sets = [MigrationSet::core(&MIGRATIONS)];
/// # let mut conn = db::connect(":memory:").unwrap();
/// migrate::migrate(&mut conn, &sets, &sets, migrate::Target::To(0, &MIGRATIONS[0])).unwrap();
/// let status = &migrate::status(&mut conn, &sets).unwrap()[0];
/// assert_eq!(status.applied[0].0.version, "20240101000001");
/// assert_eq!(status.pending[0].name, "2024-01-01-000002_add_title");
/// assert!(status.edited.is_empty() && status.unfinished.is_empty());
/// ```
pub fn status(conn: &mut DbConnection, sets: &[MigrationSet]) -> Result<Vec<SetStatus>, Error> {
    sets.iter()
        .map(|set| {
            let applied = history::applied(conn, &set.table).map_err(|e| db_error(set, e))?;
            let checksums = history::checksums(conn, &set.table).map_err(|e| db_error(set, e))?;
            let unfinished = history::unfinished(conn, &set.table).map_err(|e| db_error(set, e))?;
            let pending = set.pending(&applied);
            let applied = applied
                .into_iter()
                .map(|row| {
                    let migration = set.by_version(&row.version);
                    (row, migration)
                })
                .collect::<Vec<_>>();
            let edited = applied
                .iter()
                .filter_map(|(row, migration)| {
                    let recorded = checksums.get(&row.version)?;
                    (*recorded != (*migration)?.checksum()).then(|| row.version.clone())
                })
                .collect();
            Ok(SetStatus {
                app: set.app.clone(),
                table: set.table.clone(),
                applied,
                pending,
                edited,
                unfinished,
            })
        })
        .collect()
}

/// Where a run stops (see [`plan`] and [`migrate`], whose examples use both).
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// Every pending migration.
    Latest,
    /// Up to and including this migration of this set (by index in `sets`).
    To(usize, &'a Migration),
}

/// Pending migrations of `sets` in run order, up to `target` (reads only).
///
/// ```
/// # use fastapp_core::{db, migrate::{self, Migration, MigrationSet}};
/// # static MIGRATIONS: [Migration; 2] = [
/// #     Migration { name: "2024-01-01-000001_create_notes", version: "20240101000001",
/// #         up: "CREATE TABLE notes (id INTEGER PRIMARY KEY);", down: Some("DROP TABLE notes;"), run_in_transaction: true },
/// #     Migration { name: "2024-01-01-000002_add_title", version: "20240101000002",
/// #         up: "ALTER TABLE notes ADD COLUMN title TEXT;", down: None, run_in_transaction: true },
/// # ];
/// # let sets = [MigrationSet::core(&MIGRATIONS)];
/// # let mut conn = db::connect(":memory:").unwrap();
/// use fastapp_core::migrate::Target;
/// assert_eq!(migrate::plan(&mut conn, &sets, Target::Latest).unwrap().len(), 2);
/// let first = migrate::plan(&mut conn, &sets, Target::To(0, &MIGRATIONS[0])).unwrap();
/// assert_eq!(first, [(0, &MIGRATIONS[0])]);
/// ```
pub fn plan(
    conn: &mut DbConnection,
    sets: &[MigrationSet],
    target: Target<'_>,
) -> Result<Vec<(usize, &'static Migration)>, Error> {
    let statuses = status(conn, sets)?;
    let mut out = Vec::new();
    for (index, status) in statuses.iter().enumerate() {
        for m in &status.pending {
            match target {
                Target::Latest => out.push((index, *m)),
                Target::To(t, last) if index < t || (index == t && m.version <= last.version) => {
                    out.push((index, *m))
                }
                Target::To(..) => {}
            }
        }
    }
    Ok(out)
}

/// One migration applied or reverted (see the example on [`migrate`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done {
    /// The app.
    pub app: String,
    /// The migration's directory name.
    pub name: &'static str,
    /// A baseline recorded as applied without running, its tables being
    /// there already (see [`baseline`]).
    pub adopted: bool,
}

/// Verifies, then applies the pending migrations of `sets` up to `target`,
/// in order. A failing migration is rolled back (when it runs in a
/// transaction) and stops the run; the ones before it stay applied.
/// Call it inside [`with_lock`](super::with_lock).
///
/// ```
/// use std::time::Duration;
/// use fastapp_core::{db, migrate::{self, Done, Migration, MigrationSet, Target}};
///
/// static MIGRATIONS: [Migration; 2] = [
///     Migration { name: "2024-01-01-000001_create_notes", version: "20240101000001",
///         up: "CREATE TABLE notes (id INTEGER PRIMARY KEY);", down: Some("DROP TABLE notes;"), run_in_transaction: true },
///     Migration { name: "2024-01-01-000002_broken", version: "20240101000002",
///         up: "ALTER TABLE nowhere ADD COLUMN x TEXT;", down: None, run_in_transaction: true },
/// ];
/// let sets = [MigrationSet::core(&MIGRATIONS)];
/// let url = ":memory:";
/// let mut conn = db::connect(url).unwrap();
/// let done = migrate::with_lock(url, &mut conn, Duration::from_secs(5), |conn| {
///     migrate::migrate(conn, &sets, &sets, Target::To(0, &MIGRATIONS[0]))
/// })
/// .unwrap();
/// assert_eq!(done, [Done { app: "core".into(), name: "2024-01-01-000001_create_notes", adopted: false }]);
///
/// let err = migrate::migrate(&mut conn, &sets, &sets, Target::Latest).unwrap_err();
/// // The broken one was rolled back; the one before it stays applied.
/// assert_eq!(err.findings()[0].id, "migration.E040");
/// assert_eq!(migrate::status(&mut conn, &sets).unwrap()[0].applied.len(), 1);
/// ```
pub fn migrate(
    conn: &mut DbConnection,
    sets: &[MigrationSet],
    all: &[MigrationSet],
    target: Target<'_>,
) -> Result<Vec<Done>, Error> {
    verify(conn, sets, all).map_err(Error::many)?;
    // Trust on first use: record checksums of versions applied by others
    // (the diesel CLI) so that later edits are caught.
    for set in sets {
        history::ensure_tables(conn, &set.table).map_err(|e| db_error(set, e))?;
        let recorded = history::checksums(conn, &set.table).map_err(|e| db_error(set, e))?;
        for row in history::applied(conn, &set.table).map_err(|e| db_error(set, e))? {
            if recorded.contains_key(&row.version) {
                continue;
            }
            if let Some(m) = set.by_version(&row.version) {
                history::record_checksum(conn, &set.table, &row.version, &m.checksum())
                    .map_err(|e| db_error(set, e))?;
            }
        }
    }
    let plan = plan(conn, sets, target)?;
    // Nothing runs unless every migration outside a transaction is one statement.
    let several: Vec<Error> = plan
        .iter()
        .filter_map(|(index, m)| one_statement(&sets[*index], m, "up.sql", m.up).err())
        .collect();
    if !several.is_empty() {
        return Err(Error::many(several));
    }
    check_baselines(conn, sets, &plan)?;
    let mut done = Vec::new();
    for (index, migration) in plan {
        let set = &sets[index];
        if set.external && baseline::is_baseline(migration.up) {
            match baseline::inspect(conn, migration.up).map_err(|e| db_error(set, e))? {
                baseline::Presence::Absent => {}
                baseline::Presence::Present => {
                    conn.transaction(|conn| {
                        history::record(conn, &set.table, migration.version, &migration.checksum())
                    })
                    .map_err(|e| db_error(set, e))?;
                    tracing::info!(app = %set.app, migration = migration.name, "adopted baseline: its tables are there");
                    done.push(Done {
                        app: set.app.clone(),
                        name: migration.name,
                        adopted: true,
                    });
                    continue;
                }
                baseline::Presence::Differs(differences) => {
                    return Err(baseline::differs(set, migration.name, &differences))
                }
            }
        }
        step(conn, &set.table, migration, "up", migration.up, |conn| {
            history::record(conn, &set.table, migration.version, &migration.checksum())
        })
        .map_err(|err| migration_failed(set, migration, "up.sql", err))?;
        tracing::info!(app = %set.app, migration = migration.name, "applied migration");
        done.push(Done {
            app: set.app.clone(),
            name: migration.name,
            adopted: false,
        });
        fault::point("migrate.committed");
    }
    Ok(done)
}

/// [`migrate`] of every set to the latest, on a scratch database (for
/// `check`'s drift check and `makemigrations`): the runner's log lines are
/// about that database, not the user's, so none is emitted.
pub(crate) fn migrate_scratch(conn: &mut DbConnection, sets: &[MigrationSet]) -> Result<Vec<Done>, Error> {
    tracing::subscriber::with_default(tracing::subscriber::NoSubscriber::default(), || {
        migrate(conn, sets, sets, Target::Latest)
    })
}

/// `migration.E057` before anything runs, for a baseline whose tables are
/// partly there or differ, when no migration before it in `plan` touches
/// them (one that does may be what completes them: then it is judged when
/// it is reached).
pub(super) fn check_baselines(
    conn: &mut DbConnection,
    sets: &[MigrationSet],
    plan: &[(usize, &'static Migration)],
) -> Result<(), Error> {
    for (at, (index, m)) in plan.iter().enumerate() {
        let set = &sets[*index];
        if !set.external || !baseline::is_baseline(m.up) {
            continue;
        }
        let tables: Vec<String> = baseline::tables(m.up).into_iter().map(|t| t.name).collect();
        let touched_before = plan[..at].iter().any(|(_, earlier)| {
            guard::tables_touched_leniently(earlier.up)
                .iter()
                .any(|(_, table)| tables.contains(table))
        });
        if touched_before {
            continue;
        }
        if let baseline::Presence::Differs(differences) =
            baseline::inspect(conn, m.up).map_err(|e| db_error(set, e))?
        {
            return Err(baseline::differs(set, m.name, &differences));
        }
    }
    Ok(())
}

/// Runs `sql` of `migration`, then `record`s it in the version table: both
/// in one transaction; or, for `run_in_transaction = false`, the statement
/// alone, marked unfinished (`direction` `up` or `down`) until it is
/// recorded, the mark left with the error if it fails.
pub(super) fn step(
    conn: &mut DbConnection,
    table: &str,
    migration: &Migration,
    direction: &str,
    sql: &str,
    record: impl Fn(&mut DbConnection) -> diesel::QueryResult<()>,
) -> diesel::QueryResult<()> {
    if migration.run_in_transaction {
        return conn.transaction(|conn| {
            conn.batch_execute(sql)?;
            fault::point("migrate.ran");
            record(conn)?;
            fault::point("migrate.recorded");
            Ok(())
        });
    }
    history::mark_started(conn, table, migration.version, direction)?;
    if let Err(err) = conn.batch_execute(sql) {
        // The mark stays either way; the error is a courtesy to the reader.
        if let Err(also) = history::mark_failed(conn, table, migration.version, &err.to_string()) {
            tracing::warn!(migration = migration.name, error = %also, "could not record the migration's failure");
        }
        return Err(err);
    }
    fault::point("migrate.ran");
    conn.transaction(|conn| {
        record(conn)?;
        fault::point("migrate.recorded");
        history::forget_unfinished(conn, table, migration.version)
    })
}

/// `migration.E055`: a migration that runs outside a transaction holds
/// more than one statement (PostgreSQL runs several sent at once in one
/// implicit transaction, which `CREATE INDEX CONCURRENTLY` refuses, and a
/// failure half-way would leave the rest unknown).
pub(super) fn one_statement(set: &MigrationSet, m: &Migration, file: &str, sql: &str) -> Result<(), Error> {
    if m.run_in_transaction {
        return Ok(());
    }
    let count = guard::statement_count(sql);
    if count == 1 {
        return Ok(());
    }
    Err(Finding::new(
        "migration.E055",
        format!(
            "migration {} of `{}` has run_in_transaction = false but its {file} holds {count} statements (nothing was run)",
            m.name, set.app
        ),
        "a migration outside a transaction must be exactly one statement: move the statement that needs it \
         (e.g. CREATE INDEX CONCURRENTLY) into a migration of its own, and the rest into one that runs in a transaction",
    )
    .app(set.app.clone())
    .location(format!("{}/{file}", m.name))
    .into())
}

/// On PostgreSQL, makes each statement of the session give up after
/// `limit` waiting for a table lock (`lock_timeout`), so a migration never
/// queues forever behind a long query, with every query on that table
/// queued behind it; zero waits forever. Nothing on SQLite.
///
/// ```
/// use diesel::{sql_types::Text, RunQueryDsl};
/// use fastapp_core::{db, migrate};
/// let five = std::time::Duration::from_secs(5);
/// migrate::set_ddl_lock_timeout(&mut db::connect(":memory:").unwrap(), five).unwrap(); // nothing to set
/// if let Some(server) = std::env::var("FASTAPP_TEST_DATABASE_URL").ok().filter(|url| !url.is_empty()) {
///     let mut conn = db::connect(&server).unwrap();
///     migrate::set_ddl_lock_timeout(&mut conn, five).unwrap();
///     let shown: String = diesel::select(diesel::dsl::sql::<Text>("current_setting('lock_timeout')")).get_result(&mut conn).unwrap();
///     assert_eq!(shown, "5s");
/// }
/// ```
pub fn set_ddl_lock_timeout(conn: &mut DbConnection, limit: std::time::Duration) -> Result<(), Error> {
    if conn.backend() != crate::db::Backend::Postgres {
        return Ok(());
    }
    conn.batch_execute(&format!("SET lock_timeout = {}", limit.as_millis()))
        .map_err(|err| {
            Finding::new(
                "db.E030",
                format!("cannot set lock_timeout: {err}"),
                "check DATABASE_URL",
            )
            .into()
        })
}

/// Every table of the database's current schema (for `check`), fastapp's
/// and diesel's version tables included.
///
/// ```
/// use diesel::connection::SimpleConnection;
/// let mut conn = fastapp_core::db::connect(":memory:").unwrap();
/// conn.batch_execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)").unwrap();
/// assert_eq!(fastapp_core::migrate::database_tables(&mut conn).unwrap(), ["notes"]);
/// ```
pub fn database_tables(conn: &mut DbConnection) -> Result<Vec<String>, Error> {
    history::all_tables(conn).map_err(|err| {
        Finding::new(
            "db.E030",
            format!("cannot list the database's tables: {err}"),
            "check DATABASE_URL",
        )
        .into()
    })
}

/// `migration.E040`: a migration's `file` failed.
pub(super) fn migration_failed(
    set: &MigrationSet,
    m: &Migration,
    file: &str,
    err: diesel::result::Error,
) -> Error {
    let message = err.to_string();
    let mut fix = if m.run_in_transaction {
        "correct the migration's SQL and run `migrate` again; this migration was rolled back, earlier ones stay applied"
            .to_string()
    } else {
        format!(
            "it has run_in_transaction = false, so it was NOT rolled back: look at what it left (e.g. an INVALID index \
             from CREATE INDEX CONCURRENTLY: DROP INDEX it), correct the cause, then run `migrate resolve {} {} --rolled-back` \
             and `migrate` again; earlier migrations stay applied",
            set.app, m.name
        )
    };
    if message.contains("lock timeout") {
        fix = format!(
            "another session held a lock on a table this migration changes for longer than `ddl_lock_timeout`: run \
             `migrate` again once that query or transaction is over (or raise `ddl_lock_timeout`); {fix}"
        );
    }
    Finding::new(
        "migration.E040",
        format!("migration {} of `{}` failed ({file}): {message}", m.name, set.app),
        fix,
    )
    .app(set.app.clone())
    .location(format!("{}/{file}", m.name))
    .into()
}
