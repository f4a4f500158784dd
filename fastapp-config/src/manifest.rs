//! What fastapp reads from a crate's `Cargo.toml`: its dependencies (under
//! the names code uses for them) and an external app's
//! `[package.metadata.fastapp]`.

use std::path::Path;

/// One dependency of a manifest (see [`dependencies`]).
///
/// ```
/// use fastapp_config::manifest::{dependencies, Dependency};
/// let dir = std::env::temp_dir().join(format!("fastapp-config-dep-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// std::fs::write(dir.join("Cargo.toml"), "[dependencies]\nnews = { package = \"news-letter\", path = \"x\" }\n").unwrap();
/// let renamed = Dependency { crate_name: "news_letter".into(), extern_name: "news".into() };
/// assert_eq!(dependencies(&dir.join("Cargo.toml")).unwrap(), [renamed]);
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    /// The library's crate name (`package = "..."` when renamed), `-` as `_`.
    pub crate_name: String,
    /// The name code uses for it (the dependency key), `-` as `_`.
    pub extern_name: String,
}

/// Every dependency of the manifest at `path`, in any dependency table
/// (`[dependencies]`, `[dev-dependencies]`, `[build-dependencies]`,
/// `[target.*.dependencies]`). A `key.workspace = true` entry takes its
/// `package` from the workspace's `[workspace.dependencies]` (the nearest
/// `Cargo.toml` above with a `[workspace]`, or the manifest itself).
///
/// ```
/// let dir = std::env::temp_dir().join(format!("fastapp-config-deps-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// std::fs::write(dir.join("Cargo.toml"), "[dependencies]\nnews = { package = \"newsletter\", path = \"x\" }\nserde-json = \"1\"\n").unwrap();
/// let deps = fastapp_config::manifest::dependencies(&dir.join("Cargo.toml")).unwrap();
/// assert_eq!((deps[0].extern_name.as_str(), deps[0].crate_name.as_str()), ("news", "newsletter"));
/// assert_eq!(deps[1].extern_name, "serde_json");
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
///
/// A rename through the workspace:
///
/// ```
/// let dir = std::env::temp_dir().join(format!("fastapp-config-ws-{}", std::process::id()));
/// std::fs::create_dir_all(dir.join("site")).unwrap();
/// std::fs::write(dir.join("Cargo.toml"), "[workspace]\n[workspace.dependencies]\nnewsletter = { package = \"mailer\", path = \"m\" }\n").unwrap();
/// std::fs::write(dir.join("site/Cargo.toml"), "[package]\nname = \"site\"\n[dependencies]\nnewsletter.workspace = true\n").unwrap();
/// let deps = fastapp_config::manifest::dependencies(&dir.join("site/Cargo.toml")).unwrap();
/// assert_eq!((deps[0].extern_name.as_str(), deps[0].crate_name.as_str()), ("newsletter", "mailer"));
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn dependencies(path: &Path) -> Result<Vec<Dependency>, String> {
    let manifest = read(path)?;
    let mut tables = Vec::new();
    for key in ["dependencies", "dev-dependencies", "build-dependencies"] {
        tables.extend(manifest.get(key).and_then(|t| t.as_table()));
    }
    if let Some(targets) = manifest.get("target").and_then(|t| t.as_table()) {
        for target in targets.values() {
            for key in ["dependencies", "dev-dependencies", "build-dependencies"] {
                tables.extend(target.get(key).and_then(|t| t.as_table()));
            }
        }
    }
    let mut workspace = None;
    let mut out = Vec::new();
    for table in tables {
        for (key, value) in table {
            let inherited = value.get("workspace").and_then(|w| w.as_bool()) == Some(true);
            let value = if inherited {
                let deps = workspace.get_or_insert_with(|| workspace_dependencies(path, &manifest));
                deps.get(key).unwrap_or(value)
            } else {
                value
            };
            let package = value.get("package").and_then(|p| p.as_str()).unwrap_or(key);
            out.push(Dependency {
                crate_name: package.replace('-', "_"),
                extern_name: key.replace('-', "_"),
            });
        }
    }
    Ok(out)
}

/// `[workspace.dependencies]` of the workspace `manifest` (at `path`)
/// belongs to: its own, else the nearest `Cargo.toml` above with a
/// `[workspace]` (empty when none can be read).
fn workspace_dependencies(path: &Path, manifest: &toml::Table) -> toml::Table {
    let of = |table: &toml::Table| {
        table
            .get("workspace")
            .and_then(|w| w.get("dependencies"))
            .and_then(|d| d.as_table())
            .cloned()
    };
    if manifest.contains_key("workspace") {
        return of(manifest).unwrap_or_default();
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let dir = std::path::absolute(dir).unwrap_or(dir.to_path_buf());
    dir.ancestors()
        .skip(1)
        .map(|d| d.join("Cargo.toml"))
        .filter(|p| p.is_file())
        .find_map(|p| read(&p).ok().filter(|t| t.contains_key("workspace")))
        .and_then(|t| of(&t))
        .unwrap_or_default()
}

/// `[package.metadata.fastapp]` of an external app crate: what the app is
/// called, where it mounts, where its migrations are (each optional; see
/// [`app_metadata`]).
///
/// ```
/// let none = fastapp_config::manifest::AppMetadata::default();
/// assert_eq!((none.name, none.prefix, none.migrations), (None, None, None));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppMetadata {
    /// `name = "..."` (default: the crate's name).
    pub name: Option<String>,
    /// `prefix = "/..."` (default: `/<name>`).
    pub prefix: Option<String>,
    /// `migrations = "<dir>"` (default: `migrations`).
    pub migrations: Option<String>,
}

/// Reads `[package.metadata.fastapp]` of the manifest at `path` (empty when
/// absent). Any key but the three string keys is an error that names it.
///
/// ```
/// let dir = std::env::temp_dir().join(format!("fastapp-config-meta-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let manifest = dir.join("Cargo.toml");
/// std::fs::write(&manifest, "[package]\nname = \"news\"\n[package.metadata.fastapp]\nprefix = \"/n\"\n").unwrap();
/// let meta = fastapp_config::manifest::app_metadata(&manifest).unwrap();
/// assert_eq!(meta.prefix.as_deref(), Some("/n"));
/// std::fs::write(&manifest, "[package]\nname = \"news\"\n[package.metadata.fastapp]\nprefx = \"/n\"\n").unwrap();
/// assert!(fastapp_config::manifest::app_metadata(&manifest).unwrap_err().contains("`prefx`"));
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn app_metadata(path: &Path) -> Result<AppMetadata, String> {
    let table = read(path)?
        .get("package")
        .and_then(|p| p.get("metadata"))
        .and_then(|m| m.get("fastapp"))
        .and_then(|f| f.as_table())
        .cloned()
        .unwrap_or_default();
    let unknown = |key: &str, value: &toml::Value| {
        format!(
            "[package.metadata.fastapp] of {} has key `{key}` (a {}), which is not a known string key",
            path.display(),
            value.type_str()
        )
    };
    let mut meta = AppMetadata::default();
    for (key, value) in &table {
        let slot = match key.as_str() {
            "name" => &mut meta.name,
            "prefix" => &mut meta.prefix,
            "migrations" => &mut meta.migrations,
            _ => return Err(unknown(key, value)),
        };
        *slot = Some(value.as_str().ok_or_else(|| unknown(key, value))?.to_string());
    }
    Ok(meta)
}

fn read(path: &Path) -> Result<toml::Table, String> {
    let text =
        std::fs::read_to_string(path).map_err(|err| format!("cannot read {}: {err}", path.display()))?;
    toml::from_str(&text).map_err(|err| format!("{}: {err}", path.display()))
}
