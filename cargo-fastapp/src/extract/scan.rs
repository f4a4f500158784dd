//! What `app extract` reads before it decides anything: the app's files,
//! tables, prefix and migrations; and the checks on the project around
//! it (nothing uses the app; its migrations are committed).

use std::path::{Path, PathBuf};

use fastapp_config::{AppRef, Finding};

use super::paths::{self, PathRef};
use crate::project::Project;
use crate::Result;

/// An internal app on disk.
pub struct App {
    pub name: String,
    /// `src/apps/<name>/`.
    pub dir: PathBuf,
    /// Every file under it, relative to it, sorted.
    pub files: Vec<PathBuf>,
    /// The tables it owns: those its models map and those its migrations
    /// (named `<version>_<name>_…`) create; sorted.
    pub tables: Vec<String>,
    /// Its prefix: `#[internal_app(prefix = …)]`, else `/<name>`.
    pub prefix: String,
    /// Its shared migrations: named for it, or touching one of its tables.
    pub migrations: Vec<PathBuf>,
}

impl App {
    /// Reads the internal app `name` of `project` (`extract.E079` when
    /// there is none, `extract.E077` when it owns no table).
    pub fn read(project: &Project, name: &str) -> Result<App> {
        let config = project.config_path().display().to_string();
        let internal: Vec<&str> = project
            .apps
            .iter()
            .filter_map(|app| match app {
                AppRef::Internal(n) => Some(n.as_str()),
                AppRef::External(_) => None,
            })
            .collect();
        if !project.apps.contains(&AppRef::Internal(name.to_string())) {
            let what = if project.apps.contains(&AppRef::External(name.to_string())) {
                format!("`{name}` is an external app already")
            } else {
                format!("no internal app `{name}` is listed in fastapp.toml (`\"apps.{name}\"`)")
            };
            return Err(Finding::new(
                "extract.E079",
                what,
                format!(
                    "name one of the project's internal apps: {}",
                    if internal.is_empty() {
                        "(none)".to_string()
                    } else {
                        internal.join(", ")
                    }
                ),
            )
            .location(config));
        }
        let dir = app_dir(project, name)?;
        let mut files = Vec::new();
        list_files(&dir, &dir, &mut files)?;
        files.sort();
        let mut tables: Vec<String> = Vec::new();
        let mut prefix = None;
        for file in files.iter().filter(|f| is_rust(f)) {
            let text = read(&dir.join(file))?;
            tables.extend(paths::model_tables(&text));
            if file == Path::new("mod.rs") {
                prefix = attribute_prefix(&text);
            }
        }
        let shared = shared_migrations(project);
        let named = |path: &Path| named_for(path, &internal) == Some(name);
        for (path, up, _) in &shared {
            if named(path) {
                tables.extend(created_tables(up));
            }
        }
        // Only what the shared schema declares now: not a table a migration
        // made and a later one renamed or dropped (SQLite's table rebuilds).
        let schema_path = project.root.join(project.diesel.schema_file());
        let declared: Vec<String> = crate::edit::SchemaFile::parse(&schema_path, &read(&schema_path)?)?
            .tables
            .into_iter()
            .map(|(table, _)| table)
            .collect();
        tables.retain(|table| declared.contains(table));
        tables.sort();
        tables.dedup();
        if tables.is_empty() {
            return Err(no_table(name, &dir));
        }
        let migrations = shared
            .into_iter()
            .filter(|(path, up, down)| {
                named(path) || tables.iter().any(|t| mentions(up, t) || mentions(down, t))
            })
            .map(|(path, _, _)| path)
            .collect();
        Ok(App {
            name: name.to_string(),
            dir,
            files,
            prefix: prefix.unwrap_or_else(|| format!("/{name}")),
            tables,
            migrations,
        })
    }

    /// `extract.E075`: code of core or of another app names this app, or
    /// another app declares it in `uses`. Lists every reference.
    pub fn check_unused(&self, project: &Project) -> Result<()> {
        let mut uses = Vec::new();
        let mut files = Vec::new();
        list_files(&project.root.join("src"), &project.root.join("src"), &mut files)?;
        files.sort();
        for relative in files.iter().filter(|f| is_rust(f)) {
            let path = project.root.join("src").join(relative);
            if path.starts_with(&self.dir) {
                continue;
            }
            let module = module_of(relative);
            let text = read(&path)?;
            let Ok(found) = paths::paths(&text) else {
                continue; // rustc says what is wrong with it
            };
            for path_ref in found {
                if self.names_app(&path_ref, &module) {
                    uses.push(format!(
                        "{}:{}:{}: `{}`",
                        path.display(),
                        path_ref.line,
                        path_ref.column,
                        path_ref.display()
                    ));
                }
            }
        }
        let config_text = project.config.to_string();
        if let Some(apps) = project.config.get("app").and_then(|a| a.as_table_like()) {
            for (other, table) in apps.iter() {
                let declares = table
                    .get("uses")
                    .and_then(|u| u.as_array())
                    .is_some_and(|list| list.iter().any(|v| v.as_str() == Some(&self.name)));
                if declares && other != self.name {
                    let line = config_text
                        .lines()
                        .position(|l| l.trim_start().starts_with(&format!("[app.{other}]")))
                        .map_or(String::new(), |i| format!(":{}", i + 1));
                    uses.push(format!(
                        "{}{line}: app `{other}` declares `uses = [\"{}\"]`",
                        project.config_path().display(),
                        self.name
                    ));
                }
            }
        }
        if uses.is_empty() {
            return Ok(());
        }
        Err(Finding::new(
            "extract.E075",
            format!(
                "`{}` is used by core or other internal apps, which may never use an external app (the link package keeps them apart):\n  {}",
                self.name,
                uses.join("\n  ")
            ),
            format!(
                "move that code into `{}` (or what both need into core), and drop `{}` from those apps' `uses`; then extract it",
                self.name, self.name
            ),
        )
        .app(self.name.clone())
        .location(uses[0].split(": ").next().unwrap_or_default().to_string()))
    }

    /// Whether `path`, written in `module`, names this app: from the crate
    /// root, relative to the module, or as `apps::<name>` anywhere.
    fn names_app(&self, path: &PathRef, module: &[String]) -> bool {
        let resolved = path
            .absolute(module)
            .unwrap_or_else(|| module.iter().chain(&path.segments).cloned().collect());
        let app = ["apps".to_string(), self.name.clone()];
        resolved.starts_with(&app) || path.segments.windows(2).any(|w| w == app)
    }

    /// `extract.E078`: a migration of the app that version control does
    /// not hold as committed (new or edited): in flight, maybe not yet in
    /// every database, so not something to freeze into a baseline.
    pub fn check_committed(&self, project: &Project) -> Result<()> {
        if self.migrations.is_empty() {
            return Ok(());
        }
        let output = std::process::Command::new("git")
            .current_dir(&project.root)
            .args(["status", "--porcelain", "--untracked-files=all", "--"])
            .args(&self.migrations)
            .output();
        let Some(output) = output.ok().filter(|o| o.status.success()) else {
            fastapp_config::errln!(
                "note: {} is not a git work tree (or git is missing): cannot tell whether `{}`'s migrations are committed",
                project.root.display(),
                self.name
            );
            return Ok(());
        };
        let dirty: Vec<String> = String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(|l| l.trim_end().to_string())
            .filter(|l| !l.is_empty())
            .collect();
        if dirty.is_empty() {
            return Ok(());
        }
        Err(Finding::new(
            "extract.E078",
            format!(
                "migrations of `{}` are not committed (git status):\n  {}",
                self.name,
                dirty.join("\n  ")
            ),
            "commit them (and apply them wherever the project runs) before extracting: the baseline is the schema \
             they leave, frozen; or remove the ones that are not meant to stay",
        )
        .app(self.name.clone())
        .location(project.root.join(&project.diesel.migrations_dir).display().to_string()))
    }
}

/// `extract.E077`: the app owns no table.
fn no_table(name: &str, dir: &Path) -> Finding {
    Finding::new(
        "extract.E077",
        format!(
            "internal app `{name}` owns no table (no `#[model(table = …)]` in {}, no migration `<version>_{name}_…` that creates one)",
            dir.display()
        ),
        "an app crate is extracted with its tables; an app without data needs no extraction: \
         move its files into a crate made with `cargo fastapp app new <name> --external`",
    )
    .app(name)
    .location(dir.display().to_string())
}

/// `src/apps/<name>/` of an app that is a directory (`extract.E079`
/// otherwise).
fn app_dir(project: &Project, name: &str) -> Result<PathBuf> {
    let dir = project.root.join("src/apps").join(name);
    if dir.join("mod.rs").is_file() {
        return Ok(dir);
    }
    let single = project.root.join("src/apps").join(format!("{name}.rs"));
    Err(Finding::new(
        "extract.E079",
        format!(
            "internal app `{name}` has no directory with a mod.rs ({})",
            dir.display()
        ),
        if single.is_file() {
            format!(
                "move {} to {}/mod.rs first (an app crate is a directory of files)",
                single.display(),
                dir.display()
            )
        } else {
            format!("restore {}/mod.rs", dir.display())
        },
    )
    .location(dir.display().to_string()))
}

/// Each shared migration's directory with its up.sql and down.sql, in order.
fn shared_migrations(project: &Project) -> Vec<(PathBuf, String, String)> {
    let dir = project.root.join(&project.diesel.migrations_dir);
    let mut out: Vec<(PathBuf, String, String)> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .map(|path| {
            let up = std::fs::read_to_string(path.join("up.sql")).unwrap_or_default();
            let down = std::fs::read_to_string(path.join("down.sql")).unwrap_or_default();
            (path, up, down)
        })
        .collect();
    out.sort();
    out
}

/// The internal app a shared migration directory is named for
/// (`<version>_<app>_…`; the longest of `apps` that fits, so that
/// `shop_admin_…` is `shop_admin`'s, not `shop`'s).
fn named_for<'a>(path: &Path, apps: &[&'a str]) -> Option<&'a str> {
    let (_, what) = path.file_name()?.to_str()?.split_once('_')?;
    apps.iter()
        .copied()
        .filter(|app| what.strip_prefix(app).is_some_and(|rest| rest.starts_with('_')))
        .max_by_key(|app| app.len())
}

/// The module a file under `src/` is (`apps/shop/handlers.rs` →
/// `["apps", "shop", "handlers"]`; `main.rs`, `lib.rs` → the root).
pub fn module_of(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs");
        let crate_root = parts.is_empty() && matches!(stem, "main" | "lib");
        if stem != "mod" && !crate_root {
            parts.push(stem.to_string());
        }
    }
    parts
}

pub fn is_rust(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "rs")
}

fn list_files(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|err| crate::io_error("read", dir, err))?;
    for entry in entries {
        let entry = entry.map_err(|err| crate::io_error("read", dir, err))?;
        let path = entry.path();
        if path.is_dir() {
            list_files(root, &path, out)?;
        } else {
            out.push(path.strip_prefix(root).unwrap_or(&path).to_path_buf());
        }
    }
    Ok(())
}

pub fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|err| crate::io_error("read", path, err))
}

/// `prefix = "…"` of `#[internal_app(…)]` in the app's mod.rs.
fn attribute_prefix(text: &str) -> Option<String> {
    let at = text.find("internal_app(")?;
    let args = &text[at..text[at..].find(')').map(|end| at + end)?];
    let prefix = args.split("prefix").nth(1)?;
    let start = prefix.find('"')? + 1;
    let end = prefix[start..].find('"')? + start;
    Some(prefix[start..end].to_string())
}

/// The tables `CREATE TABLE` statements of `sql` create (lower-cased, unquoted).
pub fn created_tables(sql: &str) -> Vec<String> {
    let words: Vec<String> = sql
        .split(|c: char| c.is_whitespace() || c == '(' || c == ';')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let mut out = Vec::new();
    for (i, pair) in words.windows(2).enumerate() {
        if pair[0].eq_ignore_ascii_case("create") && pair[1].eq_ignore_ascii_case("table") {
            let mut at = i + 2;
            if words.get(at).is_some_and(|w| w.eq_ignore_ascii_case("if")) {
                at += 3;
            }
            if let Some(name) = words.get(at) {
                let name = name
                    .rsplit('.')
                    .next()
                    .unwrap_or(name)
                    .trim_matches(['"', '`', '[', ']']);
                out.push(name.to_lowercase());
            }
        }
    }
    out
}

/// Whether `sql` mentions `table` as a whole word (case-insensitive).
fn mentions(sql: &str, table: &str) -> bool {
    sql.to_lowercase()
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .any(|word| word == table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modules_tables_and_prefixes_from_source() {
        assert_eq!(
            module_of(Path::new("apps/shop/handlers.rs")),
            ["apps", "shop", "handlers"]
        );
        assert_eq!(module_of(Path::new("apps/shop/mod.rs")), ["apps", "shop"]);
        assert_eq!(module_of(Path::new("main.rs")), Vec::<String>::new());
        assert_eq!(module_of(Path::new("core/schema.rs")), ["core", "schema"]);
        assert_eq!(
            created_tables(
                "CREATE TABLE shop_items (id TEXT);\ncreate table if not exists \"Shop_Orders\"(id TEXT);"
            ),
            ["shop_items", "shop_orders"]
        );
        assert!(mentions("ALTER TABLE shop_items ADD x", "shop_items"));
        assert!(!mentions("ALTER TABLE shop_items2 ADD x", "shop_items"));
        assert_eq!(
            attribute_prefix("#[fastapp_core::internal_app(prefix = \"/store\")]\npub fn register() {}"),
            Some("/store".to_string())
        );
        assert_eq!(
            attribute_prefix("#[fastapp_core::internal_app]\nfn f(x: (u8)) {}"),
            None
        );
        let apps = ["shop", "shop_admin"];
        assert_eq!(
            named_for(Path::new("m/2024-01-01-000000_shop_admin_create_logs"), &apps),
            Some("shop_admin")
        );
        assert_eq!(
            named_for(Path::new("m/2024-01-01-000000_shop_create_items"), &apps),
            Some("shop")
        );
        assert_eq!(
            named_for(Path::new("m/2024-01-01-000000_create_users"), &apps),
            None
        );
    }
}
