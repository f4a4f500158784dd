//! The boundaries between internal apps, as `#[internal_app]` checks them:
//! an app's module declarations (`app.E028`), paths into another app's
//! private part (`isolation.E029`) and uses of apps its `[app.<name>] uses`
//! does not declare (`isolation.E031`), also through a table whose
//! `#[model]` another app owns.
//!
//! Module privacy is the guarantee for the first two (rustc refuses a path
//! into a private module); these messages add what rustc cannot say. The
//! third is a rule rustc cannot express within one crate: the scan is its
//! only check, so it reports only paths it resolves for sure.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use syn::ext::IdentExt;

use crate::diag::{Diagnostic, Rule};
use crate::scan;
use crate::source::Project;

/// Which listed internal app (other than `except`) owns each table, by its
/// `#[model(table = ...)]`s: every `.rs` file under `src/apps/<app>/` (and
/// `src/apps/<app>.rs`) that mentions `model` is parsed; the others are
/// only read, so a project of many apps pays a file read per app.
pub fn table_owners(project: &Project, except: &str) -> BTreeMap<String, String> {
    let apps_dir = project.root.join("src").join("apps");
    let mut owners = BTreeMap::new();
    for listed in &project.config.apps {
        let fastapp_config::AppRef::Internal(app) = &listed.app else {
            continue;
        };
        if app == except {
            continue;
        }
        let mut files = vec![apps_dir.join(format!("{app}.rs"))];
        rust_files(&apps_dir.join(app), &mut files);
        for file in files {
            for table in model_tables_in(&file) {
                owners.entry(table).or_insert_with(|| app.clone());
            }
        }
    }
    owners
}

/// Every `.rs` file under `dir`, recursively (none when it is no directory).
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// The tables of the `#[model]` structs in `file`, inline modules included
/// (none when it cannot be read or parsed: rustc reports that).
fn model_tables_in(file: &Path) -> Vec<String> {
    fn collect(items: &[syn::Item], out: &mut Vec<String>) {
        for item in items {
            match item {
                syn::Item::Struct(s) => out.extend(scan::model_table(&s.attrs)),
                syn::Item::Mod(m) => {
                    if let Some((_, items)) = &m.content {
                        collect(items, out);
                    }
                }
                _ => {}
            }
        }
    }
    let Ok(text) = std::fs::read_to_string(file) else {
        return Vec::new();
    };
    if !text.contains("model") {
        return Vec::new();
    }
    let Ok(ast) = syn::parse_file(&text) else {
        return Vec::new();
    };
    let mut tables = Vec::new();
    collect(&ast.items, &mut tables);
    tables
}

/// The names app `name`'s `api` module makes public, or `None` when the
/// app has no `api` module file.
fn api_items(project: &Project, name: &str) -> Option<Vec<String>> {
    let dir = project.root.join("src").join("apps").join(name);
    let file = [dir.join("api.rs"), dir.join("api").join("mod.rs")]
        .into_iter()
        .find(|file| file.is_file())?;
    let text = std::fs::read_to_string(&file).ok()?;
    let ast = syn::parse_file(&text).ok()?;
    let mut names = Vec::new();
    for item in &ast.items {
        let (vis, ident) = match item {
            syn::Item::Struct(i) => (&i.vis, &i.ident),
            syn::Item::Enum(i) => (&i.vis, &i.ident),
            syn::Item::Fn(i) => (&i.vis, &i.sig.ident),
            syn::Item::Trait(i) => (&i.vis, &i.ident),
            syn::Item::Type(i) => (&i.vis, &i.ident),
            syn::Item::Const(i) => (&i.vis, &i.ident),
            syn::Item::Static(i) => (&i.vis, &i.ident),
            syn::Item::Mod(i) => (&i.vis, &i.ident),
            syn::Item::Use(i) if matches!(i.vis, syn::Visibility::Public(_)) => {
                use_leaves(&i.tree, &mut names);
                continue;
            }
            _ => continue,
        };
        if matches!(vis, syn::Visibility::Public(_)) {
            names.push(ident.unraw().to_string());
        }
    }
    Some(names)
}

/// The names a `use` tree binds (`*` for a glob).
fn use_leaves(tree: &syn::UseTree, out: &mut Vec<String>) {
    match tree {
        syn::UseTree::Path(p) => use_leaves(&p.tree, out),
        syn::UseTree::Name(n) => out.push(n.ident.unraw().to_string()),
        syn::UseTree::Rename(r) => out.push(r.rename.unraw().to_string()),
        syn::UseTree::Glob(_) => out.push("*".into()),
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| use_leaves(t, out)),
    }
}

/// `app.E028`: `pub mod <module>;` at the root of app `app`.
pub fn public_module(
    project: &Project,
    app: &str,
    module: &str,
    location: String,
    root: &Path,
) -> Diagnostic {
    let api = root
        .parent()
        .map(|dir| project.display(&dir.join("api.rs")))
        .unwrap_or_default();
    Diagnostic {
        rule: Rule::PublicInternals,
        what: format!("internal app `{app}` makes its module `{module}` visible outside the app"),
        location: Some(location),
        why: "other apps may use only an app's `api` module; every other module of the app is private to it, so Rust's privacy keeps other apps out".into(),
        fix: format!(
            "make it private (`mod {module}`, no `pub`), and re-export from `api` what other apps need (`pub use super::{module}::Item;` in {api}, declared with `pub mod api;`)"
        ),
    }
}

/// `isolation.E029`: a path from `app` into `other`'s private `part`.
pub fn private_part(project: &Project, app: &str, other: &str, part: &str, location: String) -> Diagnostic {
    let fix = match api_items(project, other) {
        Some(items) if !items.is_empty() => format!(
            "use what `{other}` exports: `crate::apps::{other}::api::{{{}}}`; if you need more, re-export it from `{other}`'s `api` module",
            items.join(", ")
        ),
        Some(_) => format!(
            "`{other}`'s `api` module exports nothing yet: re-export there what `{app}` needs of `{part}` (`pub use super::{part}…;`), and use `crate::apps::{other}::api::…`"
        ),
        None => format!(
            "app `{other}` has no `api` module: add `pub mod api;` to its root, re-export there what `{app}` needs of `{part}` (`pub use super::{part}…;`), and use `crate::apps::{other}::api::…`"
        ),
    };
    Diagnostic {
        rule: Rule::PrivatePart,
        what: format!(
            "internal app `{app}` reaches into `{other}::{part}`, which is private to app `{other}`"
        ),
        location: Some(location),
        why: format!("other apps may use only an app's `api` module; `{part}` is `{other}`'s own"),
        fix,
    }
}

/// `isolation.E031`: `app` uses `other` (through `through`, a table, when
/// given), which its `uses` does not declare.
pub fn undeclared(
    project: &Project,
    app: &str,
    other: &str,
    through: Option<&str>,
    location: String,
) -> Diagnostic {
    let uses = project.config.uses_of(app);
    let mut declared: Vec<String> = uses.map(|u| u.apps.clone()).unwrap_or_default();
    let shown_config = project.display(&project.config_path);
    let at = uses.map_or(String::new(), |u| {
        format!(" ({})", u.location.replacen("fastapp.toml", &shown_config, 1))
    });
    let what = match through {
        Some(table) => format!(
            "internal app `{app}` uses table `{table}`, whose model belongs to internal app `{other}`, which `{app}` does not declare"
        ),
        None => format!("internal app `{app}` uses internal app `{other}`, which it does not declare"),
    };
    let now = if declared.is_empty() {
        "`uses = []`".to_string()
    } else {
        format!("`uses = [\"{}\"]`", declared.join("\", \""))
    };
    declared.push(other.to_string());
    Diagnostic {
        rule: Rule::UndeclaredUse,
        what,
        location: Some(location),
        why: format!(
            "an internal app may use only the internal apps its `[app.{app}] uses` lists; `{app}` declares {now}{at}"
        ),
        fix: format!(
            "if `{app}` should depend on `{other}`, write `uses = [\"{}\"]` under `[app.{app}]` in {shown_config}; otherwise remove this use",
            declared.join("\", \"")
        ),
    }
}
