//! `cargo fastapp app new <name> [--external]`: an internal app inside the
//! project, or a publishable app crate (wired into the project when run
//! inside one).

use std::path::{Path, PathBuf};

use fastapp_config::{AppRef, Finding};

use crate::cli::AppNewArgs;
use crate::plan::Plan;
use crate::project::{check_name, FastappDependency, Project};
use crate::say::info;
use crate::template::{self, Context};
use crate::{edit, migration, Result};

pub fn run(args: &AppNewArgs) -> Result<()> {
    check_name(&args.name, "an app")?;
    if args.external {
        external(args)
    } else {
        internal(&args.name)
    }
}

/// What an internal app's templates are rendered with.
pub fn internal_context(name: &str, table: &str, migration_dir: &Path) -> Context {
    Context::from([
        ("name", name.to_string()),
        ("table", table.to_string()),
        ("migration_dir", migration_dir.display().to_string()),
    ])
}

/// What an external app crate's templates are rendered with.
pub fn external_context(
    name: &str,
    table: &str,
    migration_dir: &Path,
    fastapp: &FastappDependency,
) -> Context {
    Context::from([
        ("name", name.to_string()),
        ("table", table.to_string()),
        ("migration_dir", migration_dir.display().to_string()),
        ("fastapp_dependency", fastapp.line(&[])),
        ("fastapp_testing_dependency", fastapp.line(&["testing"])),
    ])
}

/// The table a new app starts with.
fn table_of(name: &str) -> String {
    format!("{name}_items")
}

/// Everything that makes `name` taken in `project`: an app listed or a
/// dependency of that name (`scaffold.E063`, `scaffold.E064`).
fn check_free(project: &Project, name: &str) -> Result<()> {
    let config = project.config_path();
    if let Some(listed) = project.apps.iter().find(|app| match app {
        AppRef::Internal(n) | AppRef::External(n) => n == name,
    }) {
        let entry = format!("\"{listed}\"");
        let line = project
            .config
            .to_string()
            .lines()
            .position(|l| l.contains(&entry))
            .map_or(String::new(), |i| format!(":{}", i + 1));
        return Err(Finding::new(
            "scaffold.E063",
            format!("an app named `{name}` is listed in fastapp.toml already (`{listed}`)"),
            "choose another name",
        )
        .location(format!("{}{line}", config.display())));
    }
    if project.dependency_names().iter().any(|dep| dep == name) || project.package_name() == Some(name) {
        return Err(Finding::new(
            "scaffold.E064",
            format!("`{name}` is the name of a dependency (or of the project's crate) in Cargo.toml"),
            "choose another name: an app module or crate of that name would shadow it in `use` paths",
        )
        .location(project.root.join("Cargo.toml").display().to_string()));
    }
    Ok(())
}

fn internal(name: &str) -> Result<()> {
    let project = Project::require("app new")?;
    check_free(&project, name)?;
    let root = &project.root;
    for taken in [
        root.join("src/apps").join(name),
        root.join("src/apps").join(format!("{name}.rs")),
    ] {
        if taken.exists() {
            return Err(crate::plan::exists(&taken));
        }
    }
    let table = table_of(name);
    let migrations = &project.diesel.migrations_dir;
    let migration_dir = migrations.join(migration::directory_name(
        migrations,
        &format!("{name}_create_{table}"),
    ));
    let context = internal_context(name, &table, &migration_dir);

    let mut plan = Plan::default();
    for t in template::APP {
        plan.create(
            root.join(template::render(t.path, &context)),
            template::render(t.text, &context),
        );
    }
    let apps_mod = root.join("src/apps/mod.rs");
    let text = read(&apps_mod)?;
    plan.replace(apps_mod.clone(), edit::declare_module(&apps_mod, &text, name)?);
    let schema = root.join(project.diesel.schema_file());
    let text = read(&schema)?;
    let block = template::render(template::APP_TABLE, &context);
    plan.replace(schema.clone(), edit::add_table(&schema, &text, &table, &block)?);
    let mut config = project.config.clone();
    edit::append_app(&mut config, &AppRef::internal_entry(name));
    edit::declare_no_uses(&mut config, name);
    plan.replace(project.config_path(), config.to_string());
    documenting(&mut plan, &project)?;
    plan.apply()?;

    info!(
        "created internal app `{name}` in {}",
        root.join("src/apps").join(name).display()
    );
    info!("  table `{table}`: {}", migration_dir.display());
    info!(
        "  routes: GET and POST /{name}/items; listed in fastapp.toml as \"apps.{name}\", with `uses = []`"
    );
    info!("  other apps may use what src/apps/{name}/api.rs exports, once they declare \"{name}\" in their `uses`");
    Ok(())
}

fn external(args: &AppNewArgs) -> Result<()> {
    let name = &args.name;
    let project = Project::find()?;
    if let Some(project) = &project {
        check_free(project, name)?;
    }
    let dir = match (&args.path, &project) {
        (Some(path), _) => path.clone(),
        (None, Some(project)) => project.root.join(name),
        (None, None) => PathBuf::from(name),
    };
    if dir.exists() {
        return Err(crate::plan::exists(&dir));
    }
    let fastapp = match (&args.fastapp_path, &project) {
        (Some(path), _) => FastappDependency::from_arg(Some(path))?,
        (None, Some(project)) => match project.fastapp_dependency() {
            Some(dep) => dep,
            None => FastappDependency::from_arg(None)?,
        },
        (None, None) => FastappDependency::from_arg(None)?,
    };
    let table = table_of(name);
    let migration_dir = PathBuf::from("migrations").join(migration::directory_name(
        &dir.join("migrations"),
        &format!("create_{table}"),
    ));
    let context = external_context(name, &table, &migration_dir, &fastapp);
    let mut plan = Plan::default();
    for t in template::EXTERNAL {
        plan.create(
            dir.join(template::render(t.path, &context)),
            template::render(t.text, &context),
        );
    }
    if let Some(project) = &project {
        wire(&mut plan, project, name, &dir, &table)?;
    }
    plan.apply()?;

    info!("created external app crate `{name}` in {}", dir.display());
    match project {
        Some(project) => info!(
            "  wired into {}: a path dependency of the link package (link/Cargo.toml), \"{name}\" in fastapp.toml, `^{table}$` in diesel.toml's except_tables",
            project.root.display()
        ),
        None => info!(
            "  to use it in a project: add `{name} = {{ path = \"{}\" }}` to the [dependencies] of its link package (link/Cargo.toml), \"{name}\" to `apps` in its \
             fastapp.toml, and \"^{table}$\" to `[print_schema] filter = {{ except_tables = [...] }}` in its diesel.toml \
             (or run this command inside the project)",
            dir.display()
        ),
    }
    Ok(())
}

/// The project's side of a new external app: a path dependency of the
/// project's link package (see [`link`]), the entry in fastapp.toml, and
/// its table kept out of the shared schema.
fn wire(plan: &mut Plan, project: &Project, name: &str, dir: &Path, table: &str) -> Result<()> {
    link(plan, project, name, dir)?;
    let mut config = project.config.clone();
    edit::append_app(&mut config, name);
    plan.replace(project.config_path(), config.to_string());
    let diesel_path = project.root.join("diesel.toml");
    let mut diesel = project.diesel_doc.clone();
    edit::except_table(&diesel_path, &mut diesel, &format!("^{table}$"))?;
    if diesel_path.is_file() {
        plan.replace(diesel_path, diesel.to_string());
    } else {
        plan.create(diesel_path, diesel.to_string());
    }
    Ok(())
}

/// The crate at `dir` as a path dependency of the project's link package,
/// which is created when the project has none (made before link packages).
pub fn link(plan: &mut Plan, project: &Project, name: &str, dir: &Path) -> Result<()> {
    let dir = std::path::absolute(dir).map_err(|err| crate::io_error("resolve", dir, err))?;
    let path = match dir.strip_prefix(&project.root) {
        Ok(inside) => Path::new("..").join(inside),
        Err(_) => dir.clone(),
    };
    let link_dir = project.root.join("link");
    let link_manifest = link_dir.join("Cargo.toml");
    if link_manifest.is_file() {
        let mut manifest = crate::project::read_toml(&link_manifest, "scaffold.E066")?;
        edit::add_path_dependency(&link_manifest, &mut manifest, name, &path.display().to_string())?;
        plan.replace(link_manifest, manifest.to_string());
        return Ok(());
    }
    // A project made before link packages: give it one.
    let package = project.package_name().unwrap_or("project").to_string();
    let fastapp = project
        .fastapp_dependency()
        .map_or_else(|| FastappDependency::from_arg(None), Ok)?;
    let context = Context::from([
        ("name", package.clone()),
        ("fastapp_dependency", fastapp.line(&[])),
    ]);
    for t in template::LINK {
        let file = project.root.join(template::render(t.path, &context));
        let mut text = template::render(t.text, &context);
        if file == link_manifest {
            let mut manifest: toml_edit::DocumentMut = text.parse().expect("the link template is TOML");
            edit::add_path_dependency(&link_manifest, &mut manifest, name, &path.display().to_string())?;
            text = manifest.to_string();
        }
        plan.create(file, text);
    }
    let manifest_path = project.root.join("Cargo.toml");
    let mut manifest = project.manifest.clone();
    edit::add_path_dependency(&manifest_path, &mut manifest, &format!("{package}-link"), "link")?;
    plan.replace(manifest_path, manifest.to_string());
    Ok(())
}

/// What a new app's routes are documented with (`utoipa`, `utoipa-axum`),
/// added to the project's dependencies as `cargo fastapp new` writes them,
/// for a project made before apps were documented.
fn documenting(plan: &mut Plan, project: &Project) -> Result<()> {
    const CRATES: [&str; 2] = ["utoipa", "utoipa-axum"];
    let have = project.dependency_names();
    if CRATES.iter().all(|c| have.iter().any(|d| d == c)) {
        return Ok(());
    }
    let fastapp = FastappDependency::Version("0".into());
    let context = crate::new::context("project", &fastapp, crate::cli::Database::Sqlite);
    let template = template::PROJECT
        .iter()
        .find(|t| t.path == "Cargo.toml")
        .expect("a project has a Cargo.toml");
    let written: toml_edit::DocumentMut = template::render(template.text, &context)
        .parse()
        .expect("the project's Cargo.toml template is TOML");
    let path = project.root.join("Cargo.toml");
    let mut manifest = project.manifest.clone();
    for name in CRATES.into_iter().filter(|c| !have.iter().any(|d| d == c)) {
        let dep = written["dependencies"][name].clone();
        edit::add_dependency(&path, &mut manifest, name, dep)?;
    }
    plan.replace(path, manifest.to_string());
    Ok(())
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|err| {
        Finding::new(
            "scaffold.E066",
            format!("cannot read {}: {err}", path.display()),
            "cargo fastapp edits this file of a fastapp project; restore it (cargo fastapp new writes one)",
        )
        .location(path.display().to_string())
    })
}
