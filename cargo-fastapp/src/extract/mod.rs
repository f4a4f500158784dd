//! `cargo fastapp app extract <name> [--path DIR] [--dry-run]`: an internal
//! app becomes an external app crate of the project's workspace, with the
//! same name and prefix, its tables handed over through a baseline
//! migration that every existing database adopts.
//!
//! Read and check everything (nothing may use the app; the app may use
//! only its own tables and the project's settings; it owns a table; its
//! migrations are committed), then decide every file (`Plan`), then write
//! it all or nothing. The baseline's SQL comes from the project itself
//! (`migrate baseline`, core's migrations on a private in-memory SQLite
//! database), so the project is built once on the way.

mod paths;
mod rewrite;
mod scan;

use std::path::{Path, PathBuf};

use fastapp_config::Finding;

use crate::cli::AppExtractArgs;
use crate::edit::SchemaFile;
use crate::plan::Plan;
use crate::project::Project;
use crate::{edit, migration, Result};

pub fn run(args: &AppExtractArgs) -> Result<()> {
    crate::project::check_name(&args.name, "an app")?;
    let project = Project::require("app extract")?;
    let name = args.name.as_str();
    let app = scan::App::read(&project, name)?;
    let dir = match &args.path {
        Some(path) => std::path::absolute(path).map_err(|err| crate::io_error("resolve", path, err))?,
        None => project.root.join(name),
    };
    if dir.exists() {
        return Err(crate::plan::exists(&dir));
    }
    if project.dependency_names().iter().any(|dep| dep == name) {
        return Err(Finding::new(
            "scaffold.E064",
            format!("`{name}` is the name of a dependency already: the extracted crate would clash with it"),
            "rename the dependency (`other = { package = \"...\" }`) first",
        )
        .location(project.root.join("Cargo.toml").display().to_string()));
    }
    app.check_unused(&project)?;
    let moved = rewrite::moved_files(&project, &app)?;
    app.check_committed(&project)?;

    eprintln!("reading the app's tables as core's migrations leave them (`cargo run -- migrate baseline`)…");
    let baseline_sql = baseline_sql(&project, &app.tables)?;

    let mut plan = Plan::default();
    let mut report = vec![format!(
        "extract internal app `{name}` into the crate {}",
        dir.display()
    )];
    for file in &moved.files {
        report.push(format!(
            "  move {} → {}{}",
            display(&project.root, &file.from),
            display(&project.root, &dir.join(&file.to)),
            if file.rewritten.is_empty() {
                String::new()
            } else {
                format!(" (lines rewritten: {})", join(&file.rewritten))
            }
        ));
        plan.create(dir.join(&file.to), file.text.clone());
        plan.remove(file.from.clone());
    }
    if let Some(settings) = &moved.settings {
        report.push(format!(
            "  copy {} → {} (the same keys; defaults from fastapp.toml's [settings] for the crate's own tests)",
            display(&project.root, &project.root.join("src/core/settings.rs")),
            display(&project.root, &dir.join("src/settings.rs"))
        ));
        plan.create(dir.join("src/settings.rs"), settings.clone());
    }

    // The schema: the app's tables leave the shared module for the crate's.
    let schema_path = project.root.join(project.diesel.schema_file());
    let schema_text = read(&schema_path)?;
    let mut shared = SchemaFile::parse(&schema_path, &schema_text)?;
    let mut own = shared.split_off(&app.tables);
    own.header = vec![format!(
        "// The {name} app's own schema module: its tables only (moved from the project's {} by `cargo fastapp app extract`).",
        project.diesel.schema_file()
    )];
    plan.replace(schema_path.clone(), shared.render(&schema_path)?);
    plan.create(dir.join("src/schema.rs"), own.render(&dir.join("src/schema.rs"))?);
    report.push(format!(
        "  hand over tables {}: out of {} (and into diesel.toml's except_tables), into {}",
        join(&app.tables),
        project.diesel.schema_file(),
        display(&project.root, &dir.join("src/schema.rs"))
    ));

    // The crate's own files.
    let version_dir = migration::directory_name(&dir.join("migrations"), "baseline");
    let baseline_dir = dir.join("migrations").join(&version_dir);
    for (path, text) in rewrite::crate_files(&project, &app, &dir)? {
        plan.create(dir.join(path), text);
    }
    plan.create(
        baseline_dir.join("up.sql"),
        rewrite::baseline_up(&project, &app, &baseline_sql),
    );
    plan.create(
        baseline_dir.join("down.sql"),
        rewrite::baseline_down(&baseline_sql),
    );
    report.push(format!(
        "  baseline {}: adopted where the tables exist, run where none does",
        display(&project.root, &baseline_dir.join("up.sql"))
    ));

    // The project: the module, the entry, the link package, diesel.toml.
    let apps_mod = project.root.join("src/apps/mod.rs");
    let text = read(&apps_mod)?;
    plan.replace(apps_mod.clone(), edit::undeclare_module(&apps_mod, &text, name)?);
    let mut config = project.config.clone();
    edit::externalize_app(&mut config, name);
    plan.replace(project.config_path(), config.to_string());
    crate::app::link(&mut plan, &project, name, &dir)?;
    let diesel_path = project.root.join("diesel.toml");
    let mut diesel = project.diesel_doc.clone();
    for table in &app.tables {
        edit::except_table(&diesel_path, &mut diesel, &format!("^{table}$"))?;
    }
    if diesel_path.is_file() {
        plan.replace(diesel_path, diesel.to_string());
    } else {
        plan.create(diesel_path, diesel.to_string());
    }
    report.push(format!(
        "  project: `pub mod {name};` out of src/apps/mod.rs; \"apps.{name}\" → \"{name}\" in fastapp.toml; \
         `{name}` a path dependency of the link package"
    ));

    for line in &report {
        println!("{line}");
    }
    if args.dry_run {
        println!("dry run: nothing written");
        return Ok(());
    }
    plan.apply()?;
    let mounted_at = project
        .config
        .get("app")
        .and_then(|apps| apps.get(name))
        .and_then(|app| app.get("prefix"))
        .and_then(|prefix| prefix.as_str())
        .unwrap_or(&app.prefix);
    println!("done: `{name}` is an external app; same routes under {mounted_at}");
    println!(
        "  next: cargo build, then `migrate` (or `serve`): each database records the baseline as applied"
    );
    Ok(())
}

/// The SQL that creates `tables` as they are: the project's own
/// `migrate baseline`, run with `cargo run` (`extract.E081` when the
/// project does not build or the command fails).
fn baseline_sql(project: &Project, tables: &[String]) -> Result<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let package = project.package_name().unwrap_or_default().to_string();
    let output = std::process::Command::new(cargo)
        .current_dir(&project.root)
        .args(["run", "--quiet", "--manifest-path"])
        .arg(project.root.join("Cargo.toml"))
        .args(["--package", &package, "--", "migrate", "baseline"])
        .args(tables)
        .stderr(std::process::Stdio::piped())
        .output()
        .map_err(|err| crate::io_error("run cargo in", &project.root, err))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(30).collect();
        return Err(Finding::new(
            "extract.E081",
            format!(
                "the project could not say how its tables are created (`cargo run -- migrate baseline {}` failed):\n{}",
                tables.join(" "),
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            ),
            "make the project build and `migrate` cleanly first (`cargo run -- check`); nothing was written",
        )
        .location(project.root.join("Cargo.toml").display().to_string()));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|err| crate::io_error("read", path, err))
}

/// `path` relative to the project when inside it.
fn display(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

fn join(items: &[impl std::fmt::Display]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The app's files relative to its directory, for the crate.
fn crate_path(relative: &Path) -> PathBuf {
    if relative == Path::new("mod.rs") {
        PathBuf::from("src/lib.rs")
    } else {
        Path::new("src").join(relative)
    }
}
