//! The project a command runs in: found from the working directory upwards
//! (a directory with both `Cargo.toml` and `fastapp.toml`), with the facts
//! the scaffolder needs read and checked before anything is written.

use std::path::{Path, PathBuf};

use fastapp_config::diesel::DieselToml;
use fastapp_config::{AppRef, Finding};
use toml_edit::DocumentMut;

use crate::Result;

/// A project on disk.
pub struct Project {
    pub root: PathBuf,
    pub manifest: DocumentMut,
    pub config: DocumentMut,
    /// The entries of `apps`, parsed.
    pub apps: Vec<AppRef>,
    pub diesel: DieselToml,
    /// `diesel.toml` as written (empty when there is none), for edits.
    pub diesel_doc: DocumentMut,
}

impl Project {
    /// The project containing the working directory, if any.
    pub fn find() -> Result<Option<Project>> {
        let cwd = std::env::current_dir().map_err(|err| crate::io_error("read", Path::new("."), err))?;
        match cwd
            .ancestors()
            .find(|dir| dir.join("fastapp.toml").is_file() && dir.join("Cargo.toml").is_file())
        {
            Some(root) => Project::open(root).map(Some),
            None => Ok(None),
        }
    }

    /// [`Project::find`], or `scaffold.E065` outside a project.
    pub fn require(command: &str) -> Result<Project> {
        Project::find()?.ok_or_else(|| {
            Finding::new(
                "scaffold.E065",
                format!("`cargo fastapp {command}` must run inside a fastapp project (no fastapp.toml beside a Cargo.toml here or above)"),
                "cd into the project (or create one with `cargo fastapp new <name>`)",
            )
            .location(std::env::current_dir().map(|d| d.display().to_string()).unwrap_or_default())
        })
    }

    /// Reads and checks the project at `root`.
    pub fn open(root: &Path) -> Result<Project> {
        let manifest = read_toml(&root.join("Cargo.toml"), "scaffold.E066")?;
        let config_path = root.join("fastapp.toml");
        let config = read_toml(&config_path, "config.E034")?;
        let apps = match config.get("apps") {
            None => Vec::new(),
            Some(item) => item
                .as_array()
                .and_then(|array| array.iter().map(|v| v.as_str().map(AppRef::parse)).collect())
                .ok_or_else(|| {
                    Finding::new(
                        "config.E034",
                        "`apps` in fastapp.toml is not an array of strings",
                        "write `apps = [\"apps.blog\", \"newsletter\"]`",
                    )
                    .location(config_path.display().to_string())
                })?,
        };
        let diesel_path = root.join("diesel.toml");
        let diesel_doc = if diesel_path.is_file() {
            read_toml(&diesel_path, "config.E034")?
        } else {
            DocumentMut::new()
        };
        let diesel = DieselToml::parse(root, &diesel_doc.to_string()).map_err(|message| {
            Finding::new(
                "config.E034",
                message,
                "fix diesel.toml (the diesel CLI reads it too)",
            )
            .location(diesel_path.display().to_string())
        })?;
        Ok(Project {
            root: root.to_path_buf(),
            manifest,
            config,
            apps,
            diesel,
            diesel_doc,
        })
    }

    /// The package name of the project's crate.
    pub fn package_name(&self) -> Option<&str> {
        self.manifest.get("package")?.get("name")?.as_str()
    }

    /// Every dependency's crate name and the name the code uses for it
    /// (they differ when `package = …` renames it), `-` as `_`.
    /// The link package's (`link/`) count too: external apps are its.
    pub fn dependency_names(&self) -> Vec<String> {
        [
            self.root.join("Cargo.toml"),
            self.root.join("link").join("Cargo.toml"),
        ]
        .iter()
        .flat_map(|manifest| fastapp_config::manifest::dependencies(manifest).unwrap_or_default())
        .flat_map(|dep| [dep.extern_name, dep.crate_name])
        .collect()
    }

    /// The project's `fastapp-core` dependency, as an inline table a new
    /// crate beside it can use (a relative path made absolute).
    pub fn fastapp_dependency(&self) -> Option<FastappDependency> {
        let dep = self.manifest.get("dependencies")?.get("fastapp-core")?;
        if let Some(version) = dep.as_str() {
            return Some(FastappDependency::Version(version.to_string()));
        }
        if let Some(path) = dep.get("path").and_then(|p| p.as_str()) {
            let path = self.root.join(path);
            return Some(FastappDependency::Path(
                std::fs::canonicalize(&path).unwrap_or(path),
            ));
        }
        dep.get("version")
            .and_then(|v| v.as_str())
            .map(|v| FastappDependency::Version(v.to_string()))
    }

    /// `fastapp.toml`'s path, for messages.
    pub fn config_path(&self) -> PathBuf {
        self.root.join("fastapp.toml")
    }
}

/// How a generated crate depends on fastapp.
#[derive(Debug, Clone)]
pub enum FastappDependency {
    /// A released version (`"0.1"`).
    Version(String),
    /// A checkout's `fastapp-core` directory.
    Path(PathBuf),
}

impl FastappDependency {
    /// From `--fastapp-path` (a fastapp checkout or its `fastapp-core`
    /// directory), else this tool's own version.
    pub fn from_arg(path: Option<&Path>) -> Result<FastappDependency> {
        let Some(path) = path else {
            fastapp_config::errln!(
                "note: depending on fastapp-core from crates.io, where it is not published yet; \
                 pass --fastapp-path <a fastapp checkout> to build now"
            );
            let version = env!("CARGO_PKG_VERSION");
            let minor = version
                .rsplit_once('.')
                .map_or(version, |(major_minor, _)| major_minor);
            return Ok(FastappDependency::Version(minor.to_string()));
        };
        let core = [path.join("fastapp-core"), path.to_path_buf()]
            .into_iter()
            .find(|dir| {
                std::fs::read_to_string(dir.join("Cargo.toml"))
                    .is_ok_and(|text| text.contains("name = \"fastapp-core\""))
            })
            .ok_or_else(|| {
                Finding::new(
                    "scaffold.E067",
                    format!(
                        "{} is neither a fastapp checkout nor its fastapp-core directory",
                        path.display()
                    ),
                    "pass --fastapp-path the directory that holds fastapp-core/ (the fastapp repository)",
                )
                .location(path.display().to_string())
            })?;
        let core = std::fs::canonicalize(&core).map_err(|err| crate::io_error("read", &core, err))?;
        Ok(FastappDependency::Path(core))
    }

    /// The dependency line, with `features` when given.
    pub fn line(&self, features: &[&str]) -> String {
        let features = if features.is_empty() {
            String::new()
        } else {
            let list: Vec<String> = features.iter().map(|f| format!("\"{f}\"")).collect();
            format!(", features = [{}]", list.join(", "))
        };
        match self {
            FastappDependency::Version(version) if features.is_empty() => {
                format!("fastapp-core = \"{version}\"")
            }
            FastappDependency::Version(version) => {
                format!("fastapp-core = {{ version = \"{version}\"{features} }}")
            }
            FastappDependency::Path(path) => format!(
                "fastapp-core = {{ path = {}{features} }}",
                toml_edit::Value::from(path.display().to_string())
            ),
        }
    }

    /// The checkout's `Cargo.lock`, which pins the versions fastapp was
    /// tested with (path dependencies only).
    pub fn lock_file(&self) -> Option<PathBuf> {
        match self {
            FastappDependency::Path(core) => core
                .parent()
                .map(|checkout| checkout.join("Cargo.lock"))
                .filter(|lock| lock.is_file()),
            FastappDependency::Version(_) => None,
        }
    }
}

pub fn read_toml(path: &Path, id: &'static str) -> Result<DocumentMut> {
    let text = std::fs::read_to_string(path).map_err(|err| crate::io_error("read", path, err))?;
    text.parse::<DocumentMut>().map_err(|err| {
        let at = err
            .span()
            .map(|span| {
                let line = text[..span.start].matches('\n').count() + 1;
                format!(":{line}")
            })
            .unwrap_or_default();
        Finding::new(
            id,
            format!("{} does not parse: {}", path.display(), err.message()),
            "fix the file (nothing was written)",
        )
        .location(format!("{}{at}", path.display()))
    })
}

/// Checks a new app's name: `name.E060` syntax (paths included),
/// `name.E061` keyword, `name.E062` reserved.
pub fn check_name(name: &str, what: &str) -> Result<()> {
    use fastapp_config::NameError;
    fastapp_config::check_new_name(name).map_err(|err| {
        let id = match err {
            NameError::Syntax => "name.E060",
            NameError::Keyword => "name.E061",
            NameError::Reserved => "name.E062",
        };
        let suggestion: String = name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(name)
            .to_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let fix = match err {
            NameError::Syntax if name.contains(['/', '\\']) || name.contains("..") => {
                "give a plain name, not a path (an internal app goes in src/apps/<name>/; \
                 --path chooses where a project or an external app crate goes)"
                    .to_string()
            }
            NameError::Syntax => format!(
                "use lower-case letters, digits and `_`, starting with a letter, e.g. `{}`",
                suggestion.trim_start_matches(|c: char| !c.is_ascii_lowercase())
            ),
            NameError::Keyword | NameError::Reserved => format!("choose another name, e.g. `{name}_app`"),
        };
        Finding::new(id, format!("`{name}` cannot name {what}: {err}"), fix)
    })
}
