//! `migrate …` and `makemigrations`.

use std::process::Command;

use clap::{Args, Subcommand};

use super::out::{out, outln};
use super::Loaded;
use crate::migrate::{self, MigrationSet, Resolution, Revert, Target};
use crate::registry::AppKind;
use crate::{db, loader, Error, Finding};

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

/// Applies every pending migration (what `serve` does first).
pub(super) fn migrate_all(loaded: &Loaded) -> Result<(), Error> {
    let sets = loader::migration_sets(loaded.project, &loaded.config, &loaded.resolved.apps)?;
    let url = &loaded.settings.database_url;
    let lock_wait = lock_wait(loaded);
    let mut conn = db::connect(url)?;
    migrate::set_ddl_lock_timeout(&mut conn, ddl_lock_timeout(loaded))?;
    migrate::with_lock(url, &mut conn, lock_wait, |conn| {
        migrate::migrate(conn, &sets, &sets, Target::Latest)
    })?;
    Ok(())
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
    .location(format!("database {}", crate::settings::redact_url(url)))
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

/// The project's source tree (where it was built, or `FASTAPP_SOURCE_ROOT`:
/// another checkout of the project); `migration.E049` without a diesel.toml.
fn source_root(loaded: &Loaded) -> Result<std::path::PathBuf, Error> {
    let source_root =
        std::env::var("FASTAPP_SOURCE_ROOT").unwrap_or_else(|_| loaded.project.source_root.into());
    let source_root = std::path::PathBuf::from(source_root);
    if !source_root.join("diesel.toml").is_file() {
        return Err(Finding::new(
            "migration.E049",
            format!(
                "makemigrations needs the project's source tree ({} has no diesel.toml)",
                source_root.display()
            ),
            "run it from a checkout of the project, where it was built",
        )
        .into());
    }
    Ok(source_root)
}

/// `makemigrations --check`: applies core's migrations to a scratch
/// database (a temporary SQLite file, or a temporary database on the
/// configured PostgreSQL server), has the diesel CLI print the schema they
/// make, and compares it with the shared schema.rs. Writes no file and
/// leaves the configured database alone; `migration.E053` with the
/// differing lines when they disagree.
pub(super) fn schema_check(loaded: &Loaded) -> Result<(), Error> {
    let root = source_root(loaded)?;
    let diesel_toml = fastapp_config::diesel::DieselToml::read(&root).map_err(|message| {
        Error::from(
            Finding::new("config.E001", message, "fix the project's diesel.toml").location("diesel.toml"),
        )
    })?;
    let schema_path = root.join(diesel_toml.schema_file());
    let on_disk = std::fs::read_to_string(&schema_path).map_err(|source| Error::Io {
        context: format!("cannot read the shared schema {}", schema_path.display()),
        source,
    })?;
    let scratch = Scratch::create(&loaded.settings.database_url)?;
    let printed = (|| {
        let sets = vec![MigrationSet::core(loaded.project.migrations)];
        let mut conn = db::connect(&scratch.url)?;
        migrate::migrate(&mut conn, &sets, &sets, Target::Latest)?;
        drop(conn);
        let output = Command::new("diesel")
            .current_dir(&root)
            .args(["print-schema", "--database-url", &scratch.url])
            .output()
            .map_err(|source| Error::Io {
                context: "cannot run the diesel CLI (install it: cargo install diesel_cli --no-default-features --features sqlite-bundled,postgres)".into(),
                source,
            })?;
        if !output.status.success() {
            return Err(Error::from(Finding::new(
                "migration.E049",
                format!(
                    "diesel print-schema failed: {}",
                    String::from_utf8_lossy(&output.stderr).trim()
                ),
                "check the project's diesel.toml ([print_schema])",
            )));
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    })();
    drop(scratch);
    let printed = printed?;
    let normalise = |text: &str| -> Vec<String> { text.lines().map(|l| l.trim_end().to_string()).collect() };
    let (want, have) = (normalise(&printed), normalise(&on_disk));
    let want_text = want.join("\n");
    if want_text.trim() == have.join("\n").trim() {
        outln!(
            "{} matches core's {} migration(s)",
            diesel_toml.schema_file(),
            loaded.project.migrations.len()
        );
        return Ok(());
    }
    // A line diff (not set membership: `id -> Text,` is in every table).
    let (have_text, want_text) = (have.join("\n") + "\n", want_text + "\n");
    let diff = similar::TextDiff::from_lines(&have_text, &want_text);
    let mut lines = Vec::new();
    for change in diff.iter_all_changes() {
        let line = change.value().trim();
        if line.is_empty() {
            continue;
        }
        match change.tag() {
            similar::ChangeTag::Delete => lines.push(format!(
                "  only in {}:          {line}",
                diesel_toml.schema_file()
            )),
            similar::ChangeTag::Insert => lines.push(format!("  only from the migrations: {line}")),
            similar::ChangeTag::Equal => {}
        }
    }
    if lines.is_empty() {
        lines.push("  (they differ in blank lines only)".into());
    }
    Err(Finding::new(
        "migration.E053",
        format!(
            "the shared schema {} and core's migrations disagree:\n{}",
            diesel_toml.schema_file(),
            lines.join("\n")
        ),
        format!(
            "after changing {} (a model change), create its migration: `makemigrations <app> <name>`; \
             after adding or editing a migration, regenerate the schema: `diesel migration run` \
             (or `diesel print-schema > {}`)",
            diesel_toml.schema_file(),
            diesel_toml.schema_file()
        ),
    )
    .location(schema_path.display().to_string())
    .into())
}

/// A database that exists only for one command: a temporary SQLite file,
/// or a temporary database on the configured PostgreSQL server.
struct Scratch {
    url: String,
    /// For PostgreSQL: the server URL to drop it from, and its name.
    postgres: Option<(String, String)>,
}

impl Scratch {
    fn create(configured: &str) -> Result<Scratch, Error> {
        let tag = format!(
            "fastapp_check_{}_{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos())
        );
        if db::Backend::of_url(configured) == db::Backend::Sqlite {
            let path = std::env::temp_dir().join(format!("{tag}.db"));
            return Ok(Scratch {
                url: path.display().to_string(),
                postgres: None,
            });
        }
        let url = with_database(configured, &tag);
        let mut conn = db::connect(configured)?;
        // template0: nothing added to template1 shows up in the schema.
        let create = format!("CREATE DATABASE \"{tag}\" TEMPLATE template0");
        diesel::RunQueryDsl::execute(diesel::sql_query(create), &mut conn).map_err(|err| {
            Error::from(Finding::new(
                "db.E030",
                format!("cannot create a scratch database on the PostgreSQL server: {err}"),
                "let the configured role create databases (CREATEDB), or run the check against SQLite",
            ))
        })?;
        Ok(Scratch {
            url,
            postgres: Some((configured.to_string(), tag)),
        })
    }
}

/// Removed however the command ends (an error or a panic included).
impl Drop for Scratch {
    fn drop(&mut self) {
        match &self.postgres {
            Some((server, name)) => {
                let dropped = db::connect(server).ok().is_some_and(|mut conn| {
                    // WITH (FORCE) needs PostgreSQL 13; older servers take the plain form.
                    [" WITH (FORCE)", ""].iter().any(|force| {
                        let drop = format!("DROP DATABASE IF EXISTS \"{name}\"{force}");
                        diesel::RunQueryDsl::execute(diesel::sql_query(drop), &mut conn).is_ok()
                    })
                });
                if !dropped {
                    eprintln!(
                        "warning: could not drop the scratch database `{name}` on {}; drop it by hand",
                        crate::settings::redact_url(server)
                    );
                }
            }
            None => {
                for leftover in ["", "-wal", "-shm", "-journal", ".migrate.lock"] {
                    let _ = std::fs::remove_file(format!("{}{leftover}", self.url));
                }
            }
        }
    }
}

/// `postgres://u:p@host:5432/app?sslmode=require` with its database
/// replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let authority_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    format!("{}/{name}{query}", &base[..authority_end])
}

/// `makemigrations <app> <name>`: `diesel migration generate --diff-schema`
/// against a database holding core's current migrations, named after the app.
pub(super) fn makemigrations(loaded: &Loaded, app: &str, name: &str) -> Result<(), Error> {
    let entry = loaded
        .resolved
        .apps
        .iter()
        .find(|a| a.entry.name == app)
        .map(|a| a.entry);
    match entry {
        Some(entry) if entry.kind == AppKind::External => {
            return Err(Finding::new(
                "migration.E048",
                format!(
                    "`{app}` is an external app: its migrations live in its own crate, not in the project"
                ),
                format!(
                    "in the `{}` crate, run `diesel migration generate {name} --migration-dir migrations` \
                     (with its own diesel.toml), write up.sql/down.sql, and rebuild the project",
                    entry.crate_name
                ),
            )
            .app(app)
            .into());
        }
        Some(_) => {}
        None => {
            return Err(Finding::new(
                "migration.E046",
                format!("`{app}` is not an app of this project"),
                "name an internal app listed in fastapp.toml (`apps list` shows them)",
            )
            .app(app)
            .into());
        }
    }
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(Finding::new(
            "migration.E049",
            format!("`{name}` is not a valid migration name"),
            "use lower-case letters, digits and `_`, e.g. `add_post_slug`",
        )
        .into());
    }
    let source_root = source_root(loaded)?;
    let source_root = source_root.as_path();
    // A database at core's current state: a scratch SQLite file, or the
    // configured PostgreSQL database (migrated first).
    let scratch = std::env::temp_dir().join(format!("fastapp-makemigrations-{}.db", std::process::id()));
    let url = match db::Backend::of_url(&loaded.settings.database_url) {
        db::Backend::Postgres => loaded.settings.database_url.clone(),
        db::Backend::Sqlite => scratch.display().to_string(),
    };
    let sets = vec![MigrationSet::core(loaded.project.migrations)];
    let lock_wait = lock_wait(loaded);
    let mut conn = db::connect(&url)?;
    migrate::with_lock(&url, &mut conn, lock_wait, |conn| {
        migrate::migrate(conn, &sets, &sets, Target::Latest)
    })?;
    drop(conn);
    let migration = format!("{app}_{name}");
    let output = Command::new("diesel")
        .current_dir(source_root)
        .args([
            "migration",
            "generate",
            "--diff-schema",
            &migration,
            "--database-url",
            &url,
        ])
        .output();
    for leftover in ["", "-wal", "-shm", ".migrate.lock"] {
        let _ = std::fs::remove_file(format!("{}{leftover}", scratch.display()));
    }
    let output = output.map_err(|source| Error::Io {
        context: "cannot run the diesel CLI (install it: cargo install diesel_cli --no-default-features --features sqlite-bundled,postgres)".into(),
        source,
    })?;
    if !output.status.success() {
        return Err(Finding::new(
            "migration.E049",
            format!(
                "diesel migration generate failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ),
            "check that the shared schema.rs compiles and differs from the migrations",
        )
        .into());
    }
    out!("{}", String::from_utf8_lossy(&output.stdout));
    outln!(
        "created migration `{migration}` under {}; review its SQL (diesel turns type or nullability changes into drop + add column, which loses data), then rebuild",
        source_root.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn scratch_database_urls_keep_server_and_options() {
        assert_eq!(
            super::with_database("postgres://u:p@db:5432/app?sslmode=require", "tmp"),
            "postgres://u:p@db:5432/tmp?sslmode=require"
        );
        assert_eq!(super::with_database("postgres://db", "tmp"), "postgres://db/tmp");
        assert_eq!(
            super::with_database("postgresql://u@db/app", "tmp"),
            "postgresql://u@db/tmp"
        );
    }
}
