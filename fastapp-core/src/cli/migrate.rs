//! `migrate …`: apply, revert, resolve, status, preview, baseline.

use clap::{Args, Subcommand};

use super::Loaded;
use crate::migrate::{self, MigrationSet, Resolution, Revert, Target};
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
    let url = &loaded.settings.database_url;
    let lock_wait = lock_wait(loaded);
    let migrate_to = |sets: Vec<MigrationSet>, to: Option<&str>| -> Result<Job<'static>, Error> {
        let target = target_in(&sets, to)?;
        Ok(Job::Migrate(sets, target))
    };
    let job = match &args.command {
        None if args.check => return require_up_to_date(loaded).map(|()| outln!("up to date")),
        None => migrate_to(all.clone(), args.to.as_deref())?,
        Some(MigrateCommand::Core { to }) => migrate_to(select(&all, "core", loaded)?, to.as_deref())?,
        Some(MigrateCommand::App { name, to }) => migrate_to(select(&all, name, loaded)?, to.as_deref())?,
        Some(MigrateCommand::Revert { app, steps, to }) => {
            let set = select(&all, app.as_deref().unwrap_or("core"), loaded)?.remove(0);
            let how = match to {
                Some(to) => Revert::To(set.find(to)?),
                None => Revert::Steps(steps.unwrap_or(1)),
            };
            Job::Revert(set, how)
        }
        Some(MigrateCommand::Resolve {
            app,
            migration,
            applied,
            ..
        }) => {
            let set = select(&all, app, loaded)?.remove(0);
            let migration = set.find(migration)?;
            let how = if *applied {
                Resolution::Applied
            } else {
                Resolution::RolledBack
            };
            Job::Resolve(set, migration, how)
        }
        Some(MigrateCommand::Status { json }) => Job::Status { json: *json },
        Some(MigrateCommand::Preview { json }) => Job::Preview { json: *json },
        Some(MigrateCommand::Baseline { tables }) => {
            let core = select(&all, "core", loaded)?.remove(0);
            out!("{}", migrate::baseline::create_sql(&core, tables)?);
            return Ok(());
        }
    };
    let mut conn = if matches!(job, Job::Status { .. } | Job::Preview { .. }) && db::missing_sqlite_file(url)
    {
        // Nothing is applied yet; reading must not create the file.
        db::connect(":memory:")?
    } else {
        db::connect(url)?
    };
    if matches!(job, Job::Migrate(..) | Job::Revert(..)) {
        migrate::set_ddl_lock_timeout(&mut conn, ddl_lock_timeout(loaded))?;
    }
    match job {
        Job::Migrate(sets, target) => {
            let done = migrate::with_lock(url, &mut conn, lock_wait, |conn| {
                migrate::migrate(conn, &sets, &all, target)
            })?;
            report_done("applied", &done);
        }
        Job::Revert(set, how) => {
            let done = migrate::with_lock(url, &mut conn, lock_wait, |conn| {
                migrate::revert(conn, &set, &all, how)
            })?;
            report_done("reverted", &done);
        }
        Job::Resolve(set, migration, how) => {
            migrate::with_lock(url, &mut conn, lock_wait, |conn| {
                migrate::resolve(conn, &set, migration, how)
            })?;
            let what = match how {
                Resolution::Applied => "recorded as applied",
                Resolution::RolledBack => "recorded as not applied; `migrate` runs it again",
            };
            outln!("resolved {} {}: {what}", set.app(), migration.name);
        }
        Job::Status { json: true } => {
            let sets: Vec<_> = migrate::status(&mut conn, &all)?
                .iter()
                .map(|status| {
                    let applied: Vec<_> = status
                        .applied
                        .iter()
                        .map(|(row, migration)| {
                            serde_json::json!({
                                "name": migration.map(|m| m.name),
                                "version": row.version,
                                "run_on": row.run_on,
                                "missing": migration.is_none(),
                                "edited": status.edited.contains(&row.version),
                            })
                        })
                        .collect();
                    let pending: Vec<_> = status
                        .pending
                        .iter()
                        .map(|m| serde_json::json!({ "name": m.name, "version": m.version }))
                        .collect();
                    let unfinished: Vec<_> = status
                        .unfinished
                        .iter()
                        .map(|row| {
                            let name = status
                                .applied
                                .iter()
                                .filter_map(|(_, m)| *m)
                                .chain(status.pending.iter().copied())
                                .find(|m| m.version == row.version)
                                .map(|m| m.name);
                            serde_json::json!({
                                "name": name, "version": row.version, "direction": row.direction,
                                "error": row.error, "since": row.since,
                            })
                        })
                        .collect();
                    serde_json::json!({
                        "app": status.app,
                        "version_table": status.table,
                        "applied": applied,
                        "pending": pending,
                        "unfinished": unfinished,
                    })
                })
                .collect();
            super::print_json(&sets);
        }
        Job::Status { json: false } => {
            for status in migrate::status(&mut conn, &all)? {
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
                    match migration {
                        Some(m) if unfinished(&row.version).is_some() => {
                            outln!(
                                "  [?] {}  applied {}, then {}",
                                m.name,
                                row.run_on,
                                unfinished(&row.version).unwrap_or_default()
                            )
                        }
                        Some(m) if status.edited.contains(&row.version) => outln!(
                            "  [~] {}  applied {}, edited since (migration.E042)",
                            m.name,
                            row.run_on
                        ),
                        Some(m) => outln!("  [X] {}  applied {}", m.name, row.run_on),
                        None => outln!("  [!] {}  applied {}, migration missing", row.version, row.run_on),
                    }
                }
                for m in &status.pending {
                    match unfinished(m.version) {
                        Some(what) => outln!("  [?] {}  {what}", m.name),
                        None => outln!("  [ ] {}  pending", m.name),
                    }
                }
            }
        }
        Job::Preview { json: true } => {
            let plan: Vec<_> = migrate::plan(&mut conn, &all, Target::Latest)?
                .into_iter()
                .map(|(index, m)| {
                    serde_json::json!({ "app": all[index].app(), "name": m.name, "version": m.version, "sql": m.up })
                })
                .collect();
            super::print_json(&plan);
        }
        Job::Preview { json: false } => {
            let plan = migrate::plan(&mut conn, &all, Target::Latest)?;
            if plan.is_empty() {
                outln!("-- no pending migrations");
            }
            for (index, m) in plan {
                outln!("-- fastapp: {} {}", all[index].app(), m.name);
                outln!("{}", m.up.trim_end());
                outln!();
            }
        }
    }
    Ok(())
}

/// Applies every pending migration (what `serve` does first). For `dev`
/// (`serve --dev`, started by `cargo fastapp dev`), migrations a dev server
/// applied and that were edited since are reverted first, said on stdout,
/// and what is applied is remembered ([`migrate::dev`]).
pub(super) fn migrate_all(loaded: &Loaded, dev: bool) -> Result<(), Error> {
    let sets = loader::migration_sets(loaded.project, &loaded.config, &loaded.resolved.apps)?;
    let url = &loaded.settings.database_url;
    let lock_wait = lock_wait(loaded);
    let mut conn = db::connect(url)?;
    migrate::set_ddl_lock_timeout(&mut conn, ddl_lock_timeout(loaded))?;
    migrate::with_lock(url, &mut conn, lock_wait, |conn| {
        if dev {
            for redone in migrate::dev::redo_edited(conn, &sets)? {
                let why = if redone.edited {
                    "edited since `cargo fastapp dev` applied it"
                } else {
                    "newer than an edited one"
                };
                outln!(
                    "fastapp: dev: reverted migration {} of `{}` ({why}) with the down.sql it was applied with; \
                     applying it again (development database only)",
                    redone.name,
                    redone.app
                );
            }
        }
        if !dev {
            return migrate::migrate(conn, &sets, &sets, Target::Latest).map(drop);
        }
        // What applies is kept even when a later migration fails.
        let before = migrate::dev::applied(conn, &sets)?;
        let migrated = migrate::migrate(conn, &sets, &sets, Target::Latest);
        migrate::dev::remember(conn, &sets, &before)?;
        migrated.map(drop)
    })
}

/// `migration.E050` unless every migration is applied (reads only; a
/// missing SQLite file has everything pending and is not created).
pub(super) fn require_up_to_date(loaded: &Loaded) -> Result<(), Error> {
    let sets = loader::migration_sets(loaded.project, &loaded.config, &loaded.resolved.apps)?;
    let url = &loaded.settings.database_url;
    let mut conn = if db::missing_sqlite_file(url) {
        db::connect(":memory:")?
    } else {
        db::connect(url)?
    };
    migrate::verify(&mut conn, &sets, &sets).map_err(Error::many)?;
    let pending = migrate::plan(&mut conn, &sets, Target::Latest)?;
    if pending.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = pending
        .iter()
        .map(|(index, m)| format!("{} {}", sets[*index].app(), m.name))
        .collect();
    Err(Finding::new(
        "migration.E050",
        format!("{} migration(s) pending: {}", list.len(), list.join(", ")),
        "run `migrate` (once, as a release step) before starting servers with --no-migrate",
    )
    .location(format!("database {}", crate::database_url::redact_url(url)))
    .into())
}

/// How long a run waits for another runner's lock (`migrate_lock_timeout`).
fn lock_wait(loaded: &Loaded) -> std::time::Duration {
    std::time::Duration::from_secs(loaded.settings.migrate_lock_timeout)
}

/// How long a migration statement waits for a table lock (`ddl_lock_timeout`).
fn ddl_lock_timeout(loaded: &Loaded) -> std::time::Duration {
    std::time::Duration::from_secs(loaded.settings.ddl_lock_timeout)
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
