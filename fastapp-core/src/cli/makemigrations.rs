//! `makemigrations <app> <name>` (the diesel CLI's `--diff-schema`, its SQL
//! made portable) and `makemigrations --check` (the shared schema.rs against
//! core's migrations). Both work on a scratch database, never the
//! configured one.

use std::process::Command;

use super::loaded::Loaded;
use super::scratch::Scratch;
use crate::migrate::{self, MigrationSet};
use crate::registry::AppKind;
use crate::{db, Error, Finding};
use fastapp_config::{out, outln};

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
            Finding::new("config.E034", message, "fix the project's diesel.toml").location("diesel.toml"),
        )
    })?;
    let schema_path = root.join(diesel_toml.schema_file());
    let on_disk = std::fs::read_to_string(&schema_path).map_err(|source| Error::Io {
        context: format!("cannot read the shared schema {}", schema_path.display()),
        source,
    })?;
    let printed = printed_schema(loaded, &root)?;
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
    let lines = schema_diff(&have, &want, diesel_toml.schema_file());
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

/// What `diesel print-schema` prints for a scratch database holding core's
/// migrations.
fn printed_schema(loaded: &Loaded, root: &std::path::Path) -> Result<String, Error> {
    let scratch = Scratch::create(&loaded.settings.database_url)?;
    let printed = (|| {
        migrated_quietly(&scratch.url, loaded)?;
        let output = Command::new("diesel")
            .current_dir(root)
            .arg("print-schema")
            .env("DATABASE_URL", &scratch.url)
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
                    crate::database_url::scrub(String::from_utf8_lossy(&output.stderr).trim(), &scratch.url)
                ),
                "check the project's diesel.toml ([print_schema])",
            )));
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    })();
    drop(scratch);
    printed
}

/// The lines only in the schema file, and only from the migrations (a line
/// diff, not set membership: `id -> Text,` is in every table).
fn schema_diff(have: &[String], want: &[String], schema_file: &str) -> Vec<String> {
    let (have_text, want_text) = (have.join("\n") + "\n", want.join("\n") + "\n");
    let diff = similar::TextDiff::from_lines(&have_text, &want_text);
    let mut lines = Vec::new();
    for change in diff.iter_all_changes() {
        let line = change.value().trim();
        if line.is_empty() {
            continue;
        }
        match change.tag() {
            similar::ChangeTag::Delete => lines.push(format!("  only in {}:          {line}", schema_file)),
            similar::ChangeTag::Insert => lines.push(format!("  only from the migrations: {line}")),
            similar::ChangeTag::Equal => {}
        }
    }
    if lines.is_empty() {
        lines.push("  (they differ in blank lines only)".into());
    }
    lines
}

/// `makemigrations <app> <name>`: `diesel migration generate --diff-schema`
/// against a database holding core's current migrations, named after the app.
pub(super) fn makemigrations(loaded: &Loaded, app: &str, name: &str) -> Result<(), Error> {
    check_request(loaded, app, name)?;
    let source_root = source_root(loaded)?;
    let source_root = source_root.as_path();
    let said = generate(loaded, source_root, &format!("{app}_{name}"))?;
    out!("{said}");
    // Made to run on both backends, whichever one generated it.
    let mut notes = Vec::new();
    for created in said.lines().filter_map(|l| l.trim().strip_prefix("Creating ")) {
        let path = source_root.join(created.trim());
        if path.extension().is_some_and(|e| e == "sql") {
            notes.extend(make_portable(&path)?);
        }
    }
    for note in &notes {
        outln!("note: {note}");
    }
    outln!(
        "created migration `{app}_{name}` under {}; review its SQL (diesel turns type or nullability changes into drop + add column, which loses data), then rebuild",
        source_root.display()
    );
    Ok(())
}

/// `app` must be an internal app (`migration.E048` for an external one,
/// `migration.E046` for none), `name` a migration name (`migration.E049`).
fn check_request(loaded: &Loaded, app: &str, name: &str) -> Result<(), Error> {
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
    Ok(())
}

/// Runs `diesel migration generate --diff-schema <migration>` against a
/// scratch database at core's current state; what the diesel CLI said.
fn generate(loaded: &Loaded, source_root: &std::path::Path, migration: &str) -> Result<String, Error> {
    // On the configured backend; on SQLite when the PostgreSQL role may not
    // create a database (the SQL is made portable either way).
    let scratch = match Scratch::create(&loaded.settings.database_url) {
        Ok(scratch) => scratch,
        Err(err) if db::Backend::of_url(&loaded.settings.database_url) == db::Backend::Postgres => {
            let reason = err
                .findings()
                .first()
                .map(|f| f.message.clone())
                .unwrap_or_default();
            outln!("note: {reason}; generating against a scratch SQLite database instead");
            Scratch::create("scratch.db")?
        }
        Err(err) => return Err(err),
    };
    let output = (|| {
        migrated_quietly(&scratch.url, loaded)?;
        Command::new("diesel")
            .current_dir(source_root)
            .args(["migration", "generate", "--diff-schema", migration])
            // In the environment, not on the command line (`ps` shows that).
            .env("DATABASE_URL", &scratch.url)
            .output()
            .map_err(|source| Error::Io {
                context: "cannot run the diesel CLI (install it: cargo install diesel_cli --no-default-features --features sqlite-bundled,postgres)".into(),
                source,
            })
    })();
    let scratch_url = scratch.url.clone();
    drop(scratch);
    let output = output?;
    if !output.status.success() {
        return Err(Finding::new(
            "migration.E049",
            format!(
                "diesel migration generate failed: {}",
                crate::database_url::scrub(String::from_utf8_lossy(&output.stderr).trim(), &scratch_url)
            ),
            "check that the shared schema.rs compiles and differs from the migrations",
        )
        .into());
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Rewrites a generated SQL file in SQL both backends run; the notes to show.
fn make_portable(path: &std::path::Path) -> Result<Vec<String>, Error> {
    let io = |context: &str| {
        let context = format!("{context} {}", path.display());
        move |source| Error::Io { context, source }
    };
    let sql = std::fs::read_to_string(path).map_err(io("cannot read the generated"))?;
    let (portable, notes) = super::portable::portable(&sql);
    if portable != sql {
        std::fs::write(path, portable).map_err(io("cannot write"))?;
    }
    Ok(notes)
}

/// Applies core's migrations to the scratch database at `url`.
fn migrated_quietly(url: &str, loaded: &Loaded) -> Result<(), Error> {
    let mut conn = db::connect(url)?;
    migrate::migrate_scratch(&mut conn, &[MigrationSet::core(loaded.project.migrations)]).map(drop)
}
