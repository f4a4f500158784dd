//! The app's files as the crate's: paths into the project rewritten
//! (`crate::apps::<name>` → `crate`, `crate::core::schema` → the crate's
//! schema module, `crate::core::settings` → its settings module,
//! `crate::PROJECT` → `crate::TEST_PROJECT`), `#[internal_app]` →
//! `#[external_app]`; and the files an app crate has besides
//! (Cargo.toml, diesel.toml, build.rs, README, the baseline migration).

use std::path::{Path, PathBuf};

use fastapp_config::Finding;
use toml_edit::{DocumentMut, Item, Value};

use super::paths::{self, PathRef};
use super::scan::{self, App};
use crate::project::Project;
use crate::Result;

/// One file of the app, moved.
pub struct MovedFile {
    /// Where it is now.
    pub from: PathBuf,
    /// Where it goes, relative to the crate.
    pub to: PathBuf,
    pub text: String,
    /// Lines that were rewritten.
    pub rewritten: Vec<usize>,
}

/// The app's files as the crate's, and its settings module when the app
/// reads the project's settings.
pub struct Moved {
    pub files: Vec<MovedFile>,
    pub settings: Option<String>,
}

/// Where `path` (written in `module`, a module of the app) leads, when it
/// is somewhere the crate cannot follow: `None` when it stays in the app or
/// goes where the move takes it along.
fn unmovable(app: &App, path: &PathRef, module: &[String]) -> Option<String> {
    let anchored = matches!(path.segments[0].as_str(), "crate" | "self" | "super");
    if !anchored {
        return None;
    }
    let Some(to) = path.absolute(module) else {
        return Some("climbs above the crate root".into());
    };
    let inside = to.starts_with(&["apps".to_string(), app.name.clone()]);
    if inside {
        return None;
    }
    if path.segments[0] == "super" {
        return Some(format!(
            "reaches out of the app with `super::`; cargo fastapp rewrites only `crate::` paths: write it as `crate::{}`",
            to.join("::")
        ));
    }
    let to: Vec<&str> = to.iter().map(String::as_str).collect();
    match to.as_slice() {
        ["core", "schema"] | ["core", "settings", ..] | ["PROJECT"] => None,
        ["core", "schema", table, ..] if app.tables.iter().any(|t| t == table) => None,
        ["core", "schema", table, ..] => Some(format!(
            "table `{table}` is not one of `{}`'s ({}): an app crate may map only its own tables",
            app.name,
            app.tables.join(", ")
        )),
        ["apps", other, ..] => Some(format!(
            "internal app `{other}` stays in the project, and an external app cannot use an internal one"
        )),
        _ => Some(format!(
            "`crate::{}` is the project's (only its settings and the app's own tables move with the app)",
            to.join("::")
        )),
    }
}

/// The paths one moved file's text is rewritten with.
fn replacements(app: &str) -> [(Vec<&str>, &'static str); 4] {
    [
        (vec!["crate", "apps", app], "crate"),
        (vec!["crate", "core", "schema"], "crate::schema"),
        (vec!["crate", "core", "settings"], "crate::settings"),
        (vec!["crate", "PROJECT"], "crate::TEST_PROJECT"),
    ]
}

/// The app's files, rewritten for the crate; `extract.E076` listing every
/// path that cannot move (what the app uses of core or of other apps,
/// besides its own tables and the project's settings) or that the rewrite
/// cannot reach (inside a `use` group).
pub fn moved_files(project: &Project, app: &App) -> Result<Moved> {
    let mut problems: Vec<String> = ["schema.rs", "schema", "settings.rs", "settings"]
        .iter()
        .filter(|taken| app.files.iter().any(|f| f.starts_with(taken)))
        .map(|taken| {
            format!(
                "{}: the crate's own `{}` module takes this name (its schema, or the project's settings): rename the app's module first",
                app.dir.join(taken).display(),
                taken.trim_end_matches(".rs")
            )
        })
        .collect();
    let mut files = Vec::new();
    let mut uses_settings = false;
    for relative in &app.files {
        let from = app.dir.join(relative);
        let to = crate_path(relative);
        let text = scan::read(&from)?;
        if !scan::is_rust(relative) {
            files.push(MovedFile {
                from,
                to,
                text,
                rewritten: Vec::new(),
            });
            continue;
        }
        let module: Vec<String> = ["apps".to_string(), app.name.clone()]
            .into_iter()
            .chain(scan::module_of(relative))
            .collect();
        let (found, settings) = unmovable_paths(app, &from, &text, &module)?;
        problems.extend(found);
        uses_settings |= settings;
        let (text, rewritten) = rewrite(app, relative, text);
        problems.extend(unrewritten(&from, &to, &text, &problems));
        files.push(MovedFile {
            from,
            to,
            text,
            rewritten,
        });
    }
    if !problems.is_empty() {
        return Err(Finding::new(
            "extract.E076",
            format!("`{}` uses what cannot move into an app crate:\n  {}", app.name, problems.join("\n  ")),
            format!(
                "an app crate depends on fastapp only: keep `{}`'s code to its own modules, its own tables and the \
                 project's settings (move what it needs of core or of other apps into it, or pass it in through \
                 `AppContext` state), then extract it",
                app.name
            ),
        )
        .app(app.name.clone())
        .location(problems[0].split(": ").next().unwrap_or_default().to_string()));
    }
    let settings = if uses_settings {
        Some(settings_module(project, app)?)
    } else {
        None
    };
    let lib = files
        .iter_mut()
        .find(|f| f.to == Path::new("src/lib.rs"))
        .expect("App::read found mod.rs");
    lib.text = declare_crate_modules(&lib.text, settings.is_some());
    Ok(Moved { files, settings })
}

/// The paths of one of the app's files (`from`, in `module`) that cannot
/// move, `file:line:col` each; and whether it uses the project's settings.
fn unmovable_paths(app: &App, from: &Path, text: &str, module: &[String]) -> Result<(Vec<String>, bool)> {
    let found = paths::paths(text).map_err(|err| {
        Finding::new(
            "extract.E076",
            format!("{} does not read as Rust tokens: {err}", from.display()),
            "fix the file (the project must build before an app is extracted)",
        )
        .location(from.display().to_string())
    })?;
    let mut problems = Vec::new();
    let mut uses_settings = false;
    for path in &found {
        let to_path = path.absolute(module).unwrap_or_default();
        uses_settings |= to_path.starts_with(&["core".to_string(), "settings".to_string()]);
        if let Some(why) = unmovable(app, path, module) {
            problems.push(format!(
                "{}:{}:{}: `{}`: {why}",
                from.display(),
                path.line,
                path.column,
                path.display()
            ));
        }
    }
    Ok((problems, uses_settings))
}

/// `text` of the app's file `relative` with the project's paths rewritten
/// (and `#[internal_app]` → `#[external_app]` in mod.rs), and the lines changed.
fn rewrite(app: &App, relative: &Path, mut text: String) -> (String, Vec<usize>) {
    let mut rewritten = Vec::new();
    for (from, to) in replacements(&app.name) {
        let (new, lines) = paths::replace_path(&text, &from, to);
        text = new;
        rewritten.extend(lines);
    }
    if relative == Path::new("mod.rs") {
        let (new, lines) = paths::replace_path(&text, &["internal_app"], "external_app");
        text = new;
        rewritten.extend(lines);
    }
    rewritten.sort_unstable();
    rewritten.dedup();
    (text, rewritten)
}

/// Project paths left in the rewritten `text` (spelled in pieces inside a
/// `use` group), which would not compile in the crate; lines `known`
/// reports already are skipped.
fn unrewritten(from: &Path, to: &Path, text: &str, known: &[String]) -> Vec<String> {
    let module = scan::module_of(to.strip_prefix("src").unwrap_or(to));
    let Ok(after) = paths::paths(text) else {
        return Vec::new();
    };
    after
        .into_iter()
        .filter(|path| {
            let to_path = path.absolute(&module).unwrap_or_default();
            let stale = matches!(to_path.first().map(String::as_str), Some("apps" | "core" | "PROJECT"));
            stale && path.segments[0] == "crate" && !known.iter().any(|p| p.contains(&format!(":{}:", path.line)))
        })
        .map(|path| {
            format!(
                "{}:{}:{}: `{}`: cargo fastapp rewrites whole paths only: write it as one path (`use crate::core::schema::…;`), not inside a `use` group",
                from.display(),
                path.line,
                path.column,
                path.display()
            )
        })
        .collect()
}

/// lib.rs with `pub mod schema;` (and `mod settings;`) after its inner
/// doc comment and attributes.
fn declare_crate_modules(text: &str, settings: bool) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| {
            let l = l.trim_start();
            !(l.is_empty() || l.starts_with("//") || l.starts_with("#!"))
        })
        .unwrap_or(lines.len());
    let mut out: Vec<String> = lines[..at].iter().map(|l| l.to_string()).collect();
    out.push("pub mod schema;".into());
    if settings {
        out.push("mod settings;".into());
    }
    out.extend(lines[at..].iter().map(|l| l.to_string()));
    out.join("\n") + "\n"
}

/// The project's settings module as the crate's: the same type reading the
/// same keys, each key fastapp.toml's `[settings]` gives a plain value
/// defaulting to that value, so that the crate's own tests (whose
/// `TEST_PROJECT` has no settings) read what the project did.
fn settings_module(project: &Project, app: &App) -> Result<String> {
    let path = project.root.join("src/core/settings.rs");
    let text = scan::read(&path)?;
    if let Ok(found) = paths::paths(&text) {
        if let Some(p) = found
            .iter()
            .find(|p| matches!(p.segments[0].as_str(), "crate" | "super"))
        {
            return Err(Finding::new(
                "extract.E076",
                format!(
                    "{}:{}:{}: the project's settings module, which `{}` reads, uses `{}`, which cannot move with it",
                    path.display(),
                    p.line,
                    p.column,
                    app.name,
                    p.display()
                ),
                "make the settings module depend on fastapp and serde only, then extract the app",
            )
            .location(format!("{}:{}", path.display(), p.line)));
        }
    }
    let file = syn::parse_file(&text).map_err(|err| {
        Finding::new(
            "extract.E076",
            format!("{} does not parse: {err}", path.display()),
            "fix it (the project must build before an app is extracted)",
        )
        .location(path.display().to_string())
    })?;
    let values = project.config.get("settings").and_then(Item::as_table_like);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let defaults = serde_defaults(&file, values, &mut lines);
    let mut out = format!(
        "// Moved from the project's src/core/settings.rs by `cargo fastapp app extract`: the same keys, read\n\
         // from the project's [settings]. The defaults are the values fastapp.toml gave then, for this\n\
         // crate's own tests (its TEST_PROJECT has no settings).\n{}\n",
        lines.join("\n")
    );
    if !defaults.is_empty() {
        out.push('\n');
        out.push_str(&defaults.join("\n\n"));
        out.push('\n');
    }
    Ok(out)
}

/// `#[serde(default = …)]` inserted in `lines` above each field of the
/// structs of `file` whose key `values` (fastapp.toml's `[settings]`)
/// gives a plain value; returns the functions that give those values.
fn serde_defaults(
    file: &syn::File,
    values: Option<&dyn toml_edit::TableLike>,
    lines: &mut Vec<String>,
) -> Vec<String> {
    let mut inserts: Vec<(usize, String)> = Vec::new();
    let mut defaults = Vec::new();
    for item in &file.items {
        let syn::Item::Struct(item) = item else { continue };
        for field in &item.fields {
            let Some(ident) = &field.ident else { continue };
            let key = ident.to_string();
            let Some(literal) = values
                .and_then(|v| v.get(&key))
                .and_then(Item::as_value)
                .and_then(rust_literal)
            else {
                continue;
            };
            let ty = quote::ToTokens::to_token_stream(&field.ty).to_string();
            let has_default = field.attrs.iter().any(|attr| {
                attr.path().is_ident("serde")
                    && quote::ToTokens::to_token_stream(&attr.meta)
                        .to_string()
                        .contains("default")
            });
            if ty.starts_with("Option") || has_default {
                continue;
            }
            let literal = if matches!(ty.as_str(), "f32" | "f64") && !literal.contains(['.', 'e', 'E']) {
                format!("{literal}.0")
            } else {
                literal
            };
            let function = format!("default_{}_{key}", item.ident.to_string().to_lowercase());
            let line = ident.span().start().line;
            let indent: String = lines[line - 1]
                .chars()
                .take_while(|c| c.is_whitespace())
                .collect();
            inserts.push((line - 1, format!("{indent}#[serde(default = \"{function}\")]")));
            let value = if literal.starts_with('"') {
                format!("{literal}.into()")
            } else {
                literal
            };
            defaults.push(format!("fn {function}() -> {ty} {{\n    {value}\n}}"));
        }
    }
    inserts.sort();
    for (at, line) in inserts.into_iter().rev() {
        lines.insert(at, line);
    }
    defaults
}

/// A TOML scalar as a Rust literal; `None` for arrays and tables.
fn rust_literal(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(format!("{:?}", s.value())),
        Value::Integer(i) => Some(i.value().to_string()),
        Value::Float(f) => Some(format!("{:?}", f.value())),
        Value::Boolean(b) => Some(b.value().to_string()),
        _ => None,
    }
}

/// Cargo.toml, build.rs, diesel.toml, README.md and .gitignore of the crate
/// at `dir`, relative to it.
pub fn crate_files(project: &Project, app: &App, dir: &Path) -> Result<Vec<(PathBuf, String)>> {
    let name = &app.name;
    let project_name = project.package_name().unwrap_or("the project");
    let edition = project
        .manifest
        .get("package")
        .and_then(|p| p.get("edition"))
        .and_then(Item::as_str)
        .unwrap_or("2021");
    let mut manifest: DocumentMut = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"{edition}\"\n\
         description = \"The {name} app for fastapp projects (extracted from {project_name})\"\n\
         license = \"MIT OR Apache-2.0\"\n\n\
         # Read by #[fastapp_core::external_app]: the app's name and prefix (as they were in {project_name}).\n\
         [package.metadata.fastapp]\nname = \"{name}\"\nprefix = \"{}\"\n",
        app.prefix
    )
    .parse()
    .expect("the manifest head is TOML");
    let link = format!("{project_name}-link");
    for table in ["dependencies", "dev-dependencies"] {
        let Some(deps) = project.manifest.get(table).and_then(Item::as_table_like) else {
            continue;
        };
        let mut copy = toml_edit::Table::new();
        for (key, item) in deps.iter() {
            if key == link {
                continue;
            }
            let mut item = item.clone();
            rebase_path(&mut item, &project.root, dir);
            copy.insert(key, item);
        }
        manifest.insert(table, Item::Table(copy));
    }
    let readme = format!(
        "# {name}\n\n\
         A [fastapp](https://docs.rs/fastapp-core) app crate, extracted from `{project_name}` by\n\
         `cargo fastapp app extract {name}`: routes under `{prefix}`, its tables ({tables}) in its own\n\
         schema module (`src/schema.rs`), its migrations in `migrations/`, tracked as\n\
         `__fastapp_migrations_{name}`.\n\n\
         Its first migration is a *baseline*: it creates the tables as they were in `{project_name}`. In a\n\
         database that has them already, `migrate` records it as applied without running it.\n\n\
         ```sh\n\
         cargo test                # the app on its own, on a fresh SQLite database per test\n\
         ```\n\n\
         Use it in another project: add it to the [dependencies] of the project's link package\n\
         (`link/Cargo.toml`), list `\"{name}\"` in its fastapp.toml's `apps`, and keep its tables out of the\n\
         project's shared schema (diesel.toml: `[print_schema] filter = {{ except_tables = [...] }}`).\n\n\
         Publish it with `cargo publish` once its path dependencies are versions.\n",
        prefix = app.prefix,
        tables = app.tables.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", "),
    );
    Ok(vec![
        (PathBuf::from("Cargo.toml"), manifest.to_string()),
        (
            PathBuf::from("build.rs"),
            "// A new migration directory must rebuild the crate that embeds it.\nfn main() {\n    println!(\"cargo:rerun-if-changed=migrations\");\n}\n".into(),
        ),
        (
            PathBuf::from("diesel.toml"),
            format!(
                "# This app's own schema module and migrations (tracked in the project's\n\
                 # database as __fastapp_migrations_{name}).\n[print_schema]\nfile = \"src/schema.rs\"\n\n\
                 [migrations_directory]\ndir = \"migrations\"\n"
            ),
        ),
        (PathBuf::from("README.md"), readme),
        (PathBuf::from(".gitignore"), "/target\nCargo.lock\n".into()),
    ])
}

/// A `path = "…"` dependency of the project, relative to the crate at `dir`.
fn rebase_path(item: &mut Item, root: &Path, dir: &Path) {
    let Some(table) = item.as_table_like_mut() else {
        return;
    };
    let Some(path) = table.get("path").and_then(Item::as_str).map(PathBuf::from) else {
        return;
    };
    if path.is_absolute() {
        return;
    }
    let target = fastapp_config::normalize(&root.join(&path));
    let rebased = match (dir.parent(), target.strip_prefix(root)) {
        (Some(parent), Ok(inside)) if parent == root => Path::new("..").join(inside),
        _ => target,
    };
    table.insert("path", Item::Value(Value::from(rebased.display().to_string())));
}

/// The baseline's up.sql: `fastapp_core::migrate::baseline::MARKER`
/// (written out: this crate does not link fastapp-core) and the SQL.
pub fn baseline_up(project: &Project, app: &App, sql: &str) -> String {
    format!(
        "-- fastapp: baseline\n\
         -- The tables of `{name}` as {project}'s migrations left them when the app was\n\
         -- extracted (cargo fastapp app extract). Where they exist (every database of\n\
         -- {project}), `migrate` records this migration as applied without running it;\n\
         -- where none does, it runs; anything else is migration.E057.\n{sql}",
        name = app.name,
        project = project.package_name().unwrap_or("the project"),
    )
}

/// The app's files relative to its directory, for the crate.
fn crate_path(relative: &Path) -> PathBuf {
    if relative == Path::new("mod.rs") {
        PathBuf::from("src/lib.rs")
    } else {
        Path::new("src").join(relative)
    }
}
