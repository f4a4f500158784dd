//! `cargo fastapp new <name>`: a project that builds, migrates, serves and
//! passes its own tests as generated.

use std::path::PathBuf;

use crate::cli::{Database, NewArgs};
use crate::plan::Plan;
use crate::project::{check_name, FastappDependency};
use crate::say::info;
use crate::template::{self, Context};
use crate::Result;

pub fn run(args: &NewArgs) -> Result<()> {
    check_name(&args.name, "a project")?;
    let dir = args.path.clone().unwrap_or_else(|| PathBuf::from(&args.name));
    if dir.exists() {
        return Err(crate::plan::exists(&dir));
    }
    let fastapp = FastappDependency::from_arg(args.fastapp_path.as_deref())?;
    let context = context(&args.name, &fastapp, args.db);
    let mut plan = Plan::default();
    for t in template::PROJECT {
        plan.create(
            dir.join(template::render(t.path, &context)),
            template::render(t.text, &context),
        );
    }
    if let Some(lock) = fastapp.lock_file() {
        // The versions fastapp was tested with (cargo drops what is unused).
        let text = std::fs::read_to_string(&lock).map_err(|err| crate::io_error("read", &lock, err))?;
        plan.create(dir.join("Cargo.lock"), text);
    }
    plan.apply()?;
    info!("created project `{}` in {}", args.name, dir.display());
    info!(
        "next: cd {} && cargo fastapp app new <name> && cargo run",
        dir.display()
    );
    Ok(())
}

/// What the project templates are rendered with.
pub fn context(name: &str, fastapp: &FastappDependency, db: Database) -> Context {
    let (database_url, database_kind) = match db {
        Database::Sqlite => (format!("{name}.db"), "a SQLite file".to_string()),
        Database::Postgres => (
            format!("postgres://localhost/{name}"),
            "PostgreSQL: create the database first, or set DATABASE_URL".to_string(),
        ),
    };
    Context::from([
        ("name", name.to_string()),
        ("fastapp_dependency", fastapp.line(&[])),
        ("fastapp_testing_dependency", fastapp.line(&["testing"])),
        ("database_url", database_url),
        ("database_kind", database_kind),
    ])
}
