//! `migrate …`: apply, revert, resolve, status, preview, baseline.

use clap::{Args, Subcommand};
use serde::Serialize;

use super::loaded::Loaded;
use crate::migrate::{self, startup, MigrationSet, Resolution, Revert, Target};
use crate::registry::AppKind;
use crate::{db, loader, Error, Finding};
use fastapp_config::{out, outln};

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub(super) struct MigrateArgs {
    #[command(subcommand)]
    command: Option<MigrateCommand>,
    /// Stop after this migration (directory name or version).
    #[arg(long)]
    to: Option<String>,
    /// Apply nothing: exit 1 listing the pending migrations (migration.E050),
    /// 0 when the database is up to date (a deploy or CI guard).
    #[arg(long, conflicts_with = "to")]
    check: bool,
}

#[derive(Subcommand, Debug)]
enum MigrateCommand {
    /// Only core's shared migrations (core and internal apps).
    Core {
        /// Stop after this migration.
        #[arg(long)]
        to: Option<String>,
    },
    /// Only one external app's migrations.
    App {
        /// The external app.
        name: String,
        /// Stop after this migration.
        #[arg(long)]
        to: Option<String>,
    },
    /// Revert applied migrations of one app (`core` by default), newest first.
    Revert {
        /// `core` or an external app.
        app: Option<String>,
        /// How many to revert (default 1).
        #[arg(long, conflicts_with = "to")]
        steps: Option<usize>,
        /// Revert everything applied after this migration.
        #[arg(long)]
        to: Option<String>,
    },
    /// Settle a migration that ran outside a transaction and did not finish
    /// (migration.E054), after looking at what it left in the database.
    #[command(group(clap::ArgGroup::new("resolution").required(true).args(["applied", "rolled_back"])))]
    Resolve {
        /// `core` or an external app.
        app: String,
        /// The migration (directory name or version).
        migration: String,
        /// Its changes are in the database: record it as applied.
        #[arg(long)]
        applied: bool,
        /// Its changes are not in the database: record it as not applied,
        /// so the next `migrate` runs it again.
        #[arg(long)]
        rolled_back: bool,
    },
    /// Per app: applied migrations with their time, and pending ones.
    Status {
        /// Print only JSON on stdout: [{"app", "version_table", "applied":
        /// [{"name", "version", "run_on", "missing", "edited"}], "pending": [{"name", "version"}],
        /// "unfinished": [{"name", "version", "direction", "error", "since"}]}].
        #[arg(long)]
        json: bool,
    },
    /// The SQL of pending migrations, per app, in run order; applies nothing.
    Preview {
        /// Print only JSON on stdout: [{"app", "name", "version", "sql"}] in run order.
        #[arg(long)]
        json: bool,
    },
    /// The SQL that creates these tables as core's migrations leave them
    /// (run on a private in-memory SQLite database; the configured one is
    /// not opened): the baseline `cargo fastapp app extract` writes.
    Baseline {
        /// Tables core's migrations create.
        #[arg(required = true)]
        tables: Vec<String>,
    },
}

/// What `migrate …` will do, decided before the database is opened: a bad
/// app name or `--to` must not create a database file.
enum Job<'a> {
    Migrate(Vec<MigrationSet>, Target<'a>),
    Revert(MigrationSet, Revert<'a>),
    Resolve(MigrationSet, &'static migrate::Migration, Resolution),
    Status { json: bool },
    Preview { json: bool },
}

pub(super) fn run(loaded: &Loaded, args: MigrateArgs) -> Result<(), Error> {
    let all = loader::migration_sets(loaded.project, &loaded.config, &loaded.resolved.apps)?;
    let Some(job) = job(loaded, &args, &all)? else {
        return Ok(());
    };
    let url = &loaded.settings.database_url;
    let mut conn = if matches!(job, Job::Status { .. } | Job::Preview { .. }) && db::missing_sqlite_file(url)
    {
        // Nothing is applied yet; reading must not create the file.
        db::connect(":memory:")?
    } else {
        db::connect(url)?
    };
    let waits = startup::Waits::of(&loaded.settings);
    if matches!(job, Job::Migrate(..) | Job::Revert(..)) {
        migrate::set_ddl_lock_timeout(&mut conn, waits.ddl)?;
    }
    let lock_wait = waits.lock;
    let locked =
        |conn: &mut db::DbConnection,
         run: &mut dyn FnMut(&mut db::DbConnection) -> Result<Vec<migrate::Done>, Error>| {
            migrate::with_lock(url, conn, lock_wait, |conn| run(conn))
        };
    match job {
        Job::Migrate(sets, target) => {
            let done = locked(&mut conn, &mut |conn| migrate::migrate(conn, &sets, &all, target))?;
            report_done("applied", &done);
        }
        Job::Revert(set, how) => {
            let done = locked(&mut conn, &mut |conn| migrate::revert(conn, &set, &all, how))?;
            report_done("reverted", &done);
        }
        Job::Resolve(set, migration, how) => {
            locked(&mut conn, &mut |conn| {
                migrate::resolve(conn, &set, migration, how).map(|()| Vec::new())
            })?;
            let what = match how {
                Resolution::Applied => "recorded as applied",
                Resolution::RolledBack => "recorded as not applied; `migrate` runs it again",
            };
            outln!("resolved {} {}: {what}", set.app(), migration.name);
        }
        Job::Status { json } => {
            let statuses = migrate::status(&mut conn, &all)?;
            if json {
                super::json::print_json(&statuses.iter().map(StatusJson::of).collect::<Vec<_>>());
            } else {
                statuses.iter().for_each(print_status);
            }
        }
        Job::Preview { json } => {
            let plan = migrate::plan(&mut conn, &all, Target::Latest)?;
            print_preview(&all, &plan, json);
        }
    }
    Ok(())
}

/// What the command line asks for, checked before the database is opened;
/// `None` when it is done already (`--check`, `baseline`).
fn job(loaded: &Loaded, args: &MigrateArgs, all: &[MigrationSet]) -> Result<Option<Job<'static>>, Error> {
    let migrate_to = |sets: Vec<MigrationSet>, to: &Option<String>| -> Result<Option<Job<'static>>, Error> {
        let target = target_in(&sets, to.as_deref())?;
        Ok(Some(Job::Migrate(sets, target)))
    };
    let one = |app: &str| select(all, app, loaded).map(|mut sets| sets.remove(0));
    match &args.command {
        None if args.check => {
            let url = &loaded.settings.database_url;
            startup::require_applied(url, all)?;
            outln!("up to date");
            Ok(None)
        }
        None => migrate_to(all.to_vec(), &args.to),
        Some(MigrateCommand::Core { to }) => migrate_to(select(all, "core", loaded)?, to),
        Some(MigrateCommand::App { name, to }) => migrate_to(select(all, name, loaded)?, to),
        Some(MigrateCommand::Revert { app, steps, to }) => {
            let set = one(app.as_deref().unwrap_or("core"))?;
            let how = match to {
                Some(to) => Revert::To(set.find(to)?),
                None => Revert::Steps(steps.unwrap_or(1)),
            };
            Ok(Some(Job::Revert(set, how)))
        }
        Some(MigrateCommand::Resolve {
            app,
            migration,
            applied,
            ..
        }) => {
            let set = one(app)?;
            let migration = set.find(migration)?;
            let how = if *applied {
                Resolution::Applied
            } else {
                Resolution::RolledBack
            };
            Ok(Some(Job::Resolve(set, migration, how)))
        }
        Some(MigrateCommand::Status { json }) => Ok(Some(Job::Status { json: *json })),
        Some(MigrateCommand::Preview { json }) => Ok(Some(Job::Preview { json: *json })),
        Some(MigrateCommand::Baseline { tables }) => {
            out!("{}", migrate::baseline_sql::create_sql(&one("core")?, tables)?);
            Ok(None)
        }
    }
}

/// `migrate status --json`: one object per set.
#[derive(Serialize)]
struct StatusJson<'a> {
    app: &'a str,
    applied: Vec<AppliedJson<'a>>,
    pending: Vec<PendingJson<'a>>,
    unfinished: Vec<UnfinishedJson<'a>>,
    version_table: &'a str,
}

#[derive(Serialize)]
struct AppliedJson<'a> {
    edited: bool,
    missing: bool,
    name: Option<&'a str>,
    run_on: &'a str,
    version: &'a str,
}

#[derive(Serialize)]
struct PendingJson<'a> {
    name: &'a str,
    version: &'a str,
}

#[derive(Serialize)]
struct UnfinishedJson<'a> {
    direction: &'a str,
    error: &'a str,
    name: Option<&'a str>,
    since: &'a str,
    version: &'a str,
}

impl<'a> StatusJson<'a> {
    fn of(status: &'a migrate::SetStatus) -> StatusJson<'a> {
        let applied = status.applied.iter().map(|(row, migration)| AppliedJson {
            edited: status.edited.contains(&row.version),
            missing: migration.is_none(),
            name: migration.map(|m| m.name),
            run_on: &row.run_on,
            version: &row.version,
        });
        let pending = status.pending.iter().map(|m| PendingJson {
            name: m.name,
            version: m.version,
        });
        let unfinished = status.unfinished.iter().map(|row| UnfinishedJson {
            direction: &row.direction,
            error: &row.error,
            name: status
                .applied
                .iter()
                .filter_map(|(_, m)| *m)
                .chain(status.pending.iter().copied())
                .find(|m| m.version == row.version)
                .map(|m| m.name),
            since: &row.since,
            version: &row.version,
        });
        StatusJson {
            app: &status.app,
            applied: applied.collect(),
            pending: pending.collect(),
            unfinished: unfinished.collect(),
            version_table: &status.table,
        }
    }
}

/// `migrate status`: one line per migration, `[X]` applied, `[ ]` pending,
/// `[~]` edited, `[!]` missing, `[?]` unfinished.
fn print_status(status: &migrate::SetStatus) {
    outln!("{} ({})", status.app, status.table);
    let unfinished = |version: &str| {
        status
            .unfinished
            .iter()
            .find(|row| row.version == version)
            .map(|row| {
                let what = if row.error.is_empty() {
                    "cut off".to_string()
                } else {
                    format!("failed: {}", row.error)
                };
                format!(
                    "{} since {}, {what} (migration.E054: `migrate resolve`)",
                    row.direction, row.since
                )
            })
    };
    for (row, migration) in &status.applied {
        match (migration, unfinished(&row.version)) {
            (Some(m), Some(then)) => outln!("  [?] {}  applied {}, then {then}", m.name, row.run_on),
            (Some(m), None) if status.edited.contains(&row.version) => outln!(
                "  [~] {}  applied {}, edited since (migration.E042)",
                m.name,
                row.run_on
            ),
            (Some(m), None) => outln!("  [X] {}  applied {}", m.name, row.run_on),
            (None, _) => outln!("  [!] {}  applied {}, migration missing", row.version, row.run_on),
        }
    }
    for m in &status.pending {
        match unfinished(m.version) {
            Some(what) => outln!("  [?] {}  {what}", m.name),
            None => outln!("  [ ] {}  pending", m.name),
        }
    }
}

/// `migrate preview`: the SQL `migrate` would run, in order.
fn print_preview(all: &[MigrationSet], plan: &[(usize, &'static migrate::Migration)], json: bool) {
    #[derive(Serialize)]
    struct PreviewJson<'a> {
        app: &'a str,
        name: &'a str,
        sql: &'a str,
        version: &'a str,
    }
    if json {
        let plan: Vec<_> = plan
            .iter()
            .map(|(index, m)| PreviewJson {
                app: all[*index].app(),
                name: m.name,
                sql: m.up,
                version: m.version,
            })
            .collect();
        return super::json::print_json(&plan);
    }
    if plan.is_empty() {
        outln!("-- no pending migrations");
    }
    for (index, m) in plan {
        outln!("-- fastapp: {} {}", all[*index].app(), m.name);
        outln!("{}", m.up.trim_end());
        outln!();
    }
}

fn report_done(verb: &str, done: &[migrate::Done]) {
    if done.is_empty() {
        outln!("nothing to do");
    }
    for d in done {
        if d.adopted {
            outln!(
                "adopted {} {} (its tables are there: recorded as applied, not run)",
                d.app,
                d.name
            );
        } else {
            outln!("{verb} {} {}", d.app, d.name);
        }
    }
}

/// The one set of `app` (`core` or an external app).
fn select(sets: &[MigrationSet], app: &str, loaded: &Loaded) -> Result<Vec<MigrationSet>, Error> {
    if let Some(set) = sets.iter().find(|s| s.app() == app) {
        return Ok(vec![set.clone()]);
    }
    let internal = loaded
        .resolved
        .apps
        .iter()
        .any(|a| a.entry.kind == AppKind::Internal && a.entry.name == app);
    let fix = if internal {
        format!("internal apps share core's migrations: use `migrate core` (or `migrate revert core`) for `{app}`")
    } else {
        format!(
            "name `core` or an external app: {}",
            sets.iter().map(MigrationSet::app).collect::<Vec<_>>().join(", ")
        )
    };
    Err(Finding::new(
        "migration.E046",
        format!("`{app}` has no migrations of its own"),
        fix,
    )
    .app(app)
    .location(format!("command line: app `{app}`"))
    .into())
}

/// `--to <version>`: the set holding it and the migration.
fn target_in<'a>(sets: &[MigrationSet], to: Option<&str>) -> Result<Target<'a>, Error> {
    let Some(to) = to else {
        return Ok(Target::Latest);
    };
    let found: Vec<(usize, &'static migrate::Migration)> = sets
        .iter()
        .enumerate()
        .filter_map(|(index, set)| set.find(to).ok().map(|m| (index, m)))
        .collect();
    // A full directory name picks one; a bare version may be in several sets.
    let exact: Vec<_> = found.iter().filter(|(_, m)| m.name == to).collect();
    match (found.as_slice(), exact.as_slice()) {
        ([(index, m)], _) | (_, [(index, m)]) => return Ok(Target::To(*index, m)),
        ([], _) => {}
        (many, _) => {
            return Err(Finding::new(
                "migration.E045",
                format!(
                    "`{to}` is a version of several apps' migrations: {}",
                    many.iter()
                        .map(|(i, m)| format!("{} {}", sets[*i].app(), m.name))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "name the app (`migrate core --to ...` or `migrate app <name> --to ...`) or give the full directory name",
            )
            .into())
        }
    }
    Err(Finding::new(
        "migration.E045",
        format!(
            "`{to}` is not a migration of {}",
            sets.iter().map(MigrationSet::app).collect::<Vec<_>>().join(", ")
        ),
        "give a migration's directory name or version; `migrate status` lists them",
    )
    .into())
}
