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

use std::path::Path;

use fastapp_config::Finding;

use crate::cli::AppExtractArgs;
use crate::edit::SchemaFile;
use crate::plan::Plan;
use crate::project::Project;
use crate::say::info;
use crate::{edit, migration, Result};
use fastapp_config::outln;

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
    if project.dependency_names().iter().any(|dep| dep == name) || project.package_name() == Some(name) {
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
    if !crate::say::quiet() {
        fastapp_config::errln!(
            "reading the app's tables as core's migrations leave them (`cargo run -- migrate baseline`)…"
        );
    }
    let baseline_sql = baseline_sql(&project, &app.tables)?;

    let mut extraction = Extraction {
        project: &project,
        app: &app,
        dir: &dir,
        plan: Plan::default(),
        report: vec![format!(
            "extract internal app `{name}` into the crate {}",
            dir.display()
        )],
    };
    extraction.move_files(&moved);
    extraction.hand_over_tables()?;
    extraction.crate_files(&baseline_sql)?;
    extraction.edit_project()?;
    for line in &extraction.report {
        outln!("{line}");
    }
    if args.dry_run {
        outln!("dry run: nothing written");
        return Ok(());
    }
    extraction.plan.apply()?;
    let mounted_at = project
        .config
        .get("app")
        .and_then(|apps| apps.get(name))
        .and_then(|app| app.get("prefix"))
        .and_then(|prefix| prefix.as_str())
        .unwrap_or(&app.prefix);
    info!("done: `{name}` is an external app; same routes under {mounted_at}");
    info!("  next: cargo build, then `migrate` (or `serve`): each database records the baseline as applied");
    Ok(())
}

/// Every write of one extraction, and the lines that say what they are.
struct Extraction<'a> {
    project: &'a Project,
    app: &'a scan::App,
    /// The crate's directory.
    dir: &'a Path,
    plan: Plan,
    report: Vec<String>,
}

impl Extraction<'_> {
    /// `path` for the report: relative to the project when inside it.
    fn shown(&self, path: &Path) -> String {
        path.strip_prefix(&self.project.root)
            .unwrap_or(path)
            .display()
            .to_string()
    }

    /// The app's files into the crate (rewritten), and its settings module.
    fn move_files(&mut self, moved: &rewrite::Moved) {
        for file in &moved.files {
            let rewritten = if file.rewritten.is_empty() {
                String::new()
            } else {
                format!(" (lines rewritten: {})", join(&file.rewritten))
            };
            let to = self.dir.join(&file.to);
            self.report.push(format!(
                "  move {} → {}{rewritten}",
                self.shown(&file.from),
                self.shown(&to)
            ));
            self.plan.create(to, file.text.clone());
            self.plan.remove(file.from.clone());
        }
        if let Some(settings) = &moved.settings {
            let to = self.dir.join("src/settings.rs");
            self.report.push(format!(
                "  copy {} → {} (the same keys; defaults from fastapp.toml's [settings] for the crate's own tests)",
                self.shown(&self.project.root.join("src/core/settings.rs")),
                self.shown(&to)
            ));
            self.plan.create(to, settings.clone());
        }
    }

    /// The app's tables leave the shared schema module for the crate's.
    fn hand_over_tables(&mut self) -> Result<()> {
        let schema_file = self.project.diesel.schema_file();
        let schema_path = self.project.root.join(schema_file);
        let mut shared = SchemaFile::parse(&schema_path, &read(&schema_path)?)?;
        let mut own = shared.split_off(&self.app.tables);
        own.header = vec![format!(
            "// The {} app's own schema module: its tables only (moved from the project's {schema_file} by `cargo fastapp app extract`).",
            self.app.name
        )];
        let to = self.dir.join("src/schema.rs");
        self.plan
            .replace(schema_path.clone(), shared.render(&schema_path)?);
        self.plan.create(to.clone(), own.render(&to)?);
        self.report.push(format!(
            "  hand over tables {}: out of {schema_file} (and into diesel.toml's except_tables), into {}",
            join(&self.app.tables),
            self.shown(&to)
        ));
        Ok(())
    }

    /// Cargo.toml, build.rs, diesel.toml, README, .gitignore and the baseline.
    fn crate_files(&mut self, baseline_sql: &str) -> Result<()> {
        for (path, text) in rewrite::crate_files(self.project, self.app, self.dir)? {
            self.plan.create(self.dir.join(path), text);
        }
        let migrations = self.dir.join("migrations");
        let baseline = migrations.join(migration::directory_name(&migrations, "baseline"));
        // No down.sql: where the baseline was adopted, the tables are the
        // project's history, and reverting it must not drop them
        // (`migrate revert` refuses it, migration.E044).
        let up = rewrite::baseline_up(self.project, self.app, baseline_sql);
        self.plan.create(baseline.join("up.sql"), up);
        self.report.push(format!(
            "  baseline {}: adopted where the tables exist, run where none does",
            self.shown(&baseline.join("up.sql"))
        ));
        Ok(())
    }

    /// The project's side: the module, the entry, the link package, diesel.toml.
    fn edit_project(&mut self) -> Result<()> {
        let (project, name) = (self.project, self.app.name.as_str());
        let apps_mod = project.root.join("src/apps/mod.rs");
        let text = read(&apps_mod)?;
        self.plan
            .replace(apps_mod.clone(), edit::undeclare_module(&apps_mod, &text, name)?);
        let mut config = project.config.clone();
        edit::externalize_app(&mut config, name);
        self.plan.replace(project.config_path(), config.to_string());
        crate::app::link(&mut self.plan, project, name, self.dir)?;
        let diesel_path = project.root.join("diesel.toml");
        let mut diesel = project.diesel_doc.clone();
        for table in &self.app.tables {
            edit::except_table(&diesel_path, &mut diesel, &format!("^{table}$"))?;
        }
        if diesel_path.is_file() {
            self.plan.replace(diesel_path, diesel.to_string());
        } else {
            self.plan.create(diesel_path, diesel.to_string());
        }
        self.report.push(format!(
            "  project: `pub mod {name};` out of src/apps/mod.rs; \"apps.{name}\" → \"{name}\" in fastapp.toml; \
             `{name}` a path dependency of the link package"
        ));
        Ok(())
    }
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

fn join(items: &[impl std::fmt::Display]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
