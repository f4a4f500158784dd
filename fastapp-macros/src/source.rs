//! Where the macros read from: the invoking file, the project's
//! `fastapp.toml`, and Rust sources parsed with line information.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file that invoked the macro, as an absolute path.
///
/// `Span::local_file` is relative to rustc's working directory (the
/// workspace root under cargo), so it is joined with `current_dir`.
pub fn call_site_file() -> Option<PathBuf> {
    let file = proc_macro::Span::call_site().local_file()?;
    if file.is_absolute() {
        return Some(normalize(&file));
    }
    Some(normalize(&std::env::current_dir().ok()?.join(file)))
}

/// `file:line` of the macro invocation, the file relative to its crate (the
/// nearest directory with a `Cargo.toml` or `fastapp.toml`).
pub fn call_site_location() -> Option<String> {
    let file = call_site_file()?;
    let root = file
        .ancestors()
        .skip(1)
        .find(|dir| dir.join("Cargo.toml").is_file() || dir.join("fastapp.toml").is_file())?;
    Some(format!("{}:{}", display_path(&file, root), call_site_line()))
}

/// The line of the macro invocation.
pub fn call_site_line() -> usize {
    proc_macro::Span::call_site().line()
}

pub use fastapp_config::normalize;

/// The package being compiled: its name, manifest and dependencies.
pub struct Package {
    /// `CARGO_PKG_NAME`.
    pub name: String,
    /// Its `Cargo.toml`.
    pub manifest: PathBuf,
    /// Every dependency, in any table (see [`fastapp_config::manifest::dependencies`]).
    pub dependencies: Vec<fastapp_config::manifest::Dependency>,
}

impl Package {
    /// Reads the manifest of the package being compiled
    /// (`CARGO_MANIFEST_DIR`, else `fallback_dir`); one that cannot be read is
    /// `config.E000`, whose fix names it as `what` ("the project's").
    pub fn current(fallback_dir: &Path, span: proc_macro2::Span, what: &str) -> syn::Result<Package> {
        let dir = std::env::var("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|_| fallback_dir.to_path_buf());
        let manifest = dir.join("Cargo.toml");
        let dependencies = fastapp_config::manifest::dependencies(&manifest).map_err(|msg| {
            crate::diag::config_error(
                span,
                msg,
                &format!("make {what} Cargo.toml a readable, valid manifest"),
            )
        })?;
        Ok(Package {
            name: std::env::var("CARGO_PKG_NAME").unwrap_or_default(),
            manifest,
            dependencies,
        })
    }
}

/// The project a macro invocation belongs to: the nearest directory above
/// the invoking file that holds a `fastapp.toml`.
pub struct Project {
    pub root: PathBuf,
    pub config_path: PathBuf,
    pub config_text: String,
    /// External app crates listed in `apps`, in order, `-` turned into `_`.
    pub external: Vec<String>,
    /// The parsed `fastapp.toml`.
    pub config: fastapp_config::config::Config,
}

impl Project {
    /// The directory of the project of `file` (the nearest one above it
    /// holding a `fastapp.toml`, else the crate being compiled), if any.
    pub fn root_of(file: Option<&Path>) -> Option<PathBuf> {
        let mut candidates = Vec::new();
        if let Some(file) = file {
            candidates.extend(file.ancestors().skip(1).map(Path::to_path_buf));
        }
        if let Ok(dir) = std::env::var("CARGO_MANIFEST_DIR") {
            candidates.push(PathBuf::from(dir));
        }
        candidates
            .into_iter()
            .find(|dir| dir.join("fastapp.toml").is_file())
    }

    /// Finds and reads the project of `file`, falling back to the crate
    /// being compiled (`CARGO_MANIFEST_DIR`).
    pub fn find(file: Option<&Path>) -> Result<Project, String> {
        let root = Project::root_of(file).ok_or_else(|| {
            crate::diag::config(
                "no `fastapp.toml` found above this file or in the crate's directory".into(),
                "create `fastapp.toml` next to the project's Cargo.toml, e.g. `apps = [\"apps.blog\"]`",
            )
            .render()
        })?;
        let config_path = root.join("fastapp.toml");
        let config_text = std::fs::read_to_string(&config_path).map_err(|err| {
            crate::diag::config(
                format!("cannot read {}: {err}", config_path.display()),
                "make fastapp.toml a readable UTF-8 file",
            )
            .render()
        })?;
        let config = fastapp_config::config::Config::parse("fastapp.toml", &config_text)
            .map_err(|finding| format!("{}: {finding}", config_path.display()))?;
        let external = config
            .apps
            .iter()
            .filter_map(|listed| match &listed.app {
                fastapp_config::AppRef::External(krate) => Some(krate.clone()),
                fastapp_config::AppRef::Internal(_) => None,
            })
            .collect();
        Ok(Project {
            root,
            config_path,
            config_text,
            external,
            config,
        })
    }

    /// The 1-based line of `fastapp.toml` that mentions `"needle"`, else 1.
    pub fn config_line_of(&self, needle: &str) -> usize {
        let quoted = format!("\"{needle}\"");
        self.config_text
            .lines()
            .position(|line| line.contains(&quoted))
            .map_or(1, |i| i + 1)
    }

    /// Every name code of the package being compiled can use for a listed
    /// external app crate, mapped to the crate: its own name, and the
    /// dependency key when Cargo.toml renames it (`news = { package =
    /// "newsletter" }`, also through `[workspace.dependencies]`). A name the
    /// package's Cargo.toml gives to another crate is not one (rustc
    /// resolves it to that crate).
    pub fn external_names(&self) -> BTreeMap<String, String> {
        let mut names: BTreeMap<String, String> = self
            .external
            .iter()
            .map(|krate| (krate.clone(), krate.clone()))
            .collect();
        let manifest = std::env::var("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|_| self.root.clone())
            .join("Cargo.toml");
        if let Ok(deps) = fastapp_config::manifest::dependencies(&manifest) {
            for dep in deps {
                if self.external.contains(&dep.crate_name) {
                    names.insert(dep.extern_name, dep.crate_name);
                } else if names.get(&dep.extern_name) == Some(&dep.extern_name) {
                    names.remove(&dep.extern_name);
                }
            }
        }
        names
    }

    /// `path` relative to the project root when it is inside it, for messages.
    pub fn display(&self, path: &Path) -> String {
        display_path(path, &self.root)
    }
}

/// `path` relative to rustc's working directory if it is inside it (what
/// rustc prints), else relative to `root`, else as is.
pub fn display_path(path: &Path, root: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let rel = cwd
        .as_deref()
        .and_then(|cwd| path.strip_prefix(cwd).ok())
        .or_else(|| path.strip_prefix(root).ok())
        .unwrap_or(path);
    rel.display().to_string().replace('\\', "/")
}

/// Runs `f` with proc-macro2's fallback implementation forced.
///
/// Inside a proc macro, proc-macro2 normally hands out the compiler's spans,
/// which carry no location for text the macro read itself; with the fallback
/// forced, files parsed by `f` get spans with lines and columns. Nothing
/// created inside `f` may reach the macro's output: `f` returns plain data.
pub fn with_line_spans<T>(f: impl FnOnce() -> T) -> T {
    struct Unforce;
    impl Drop for Unforce {
        fn drop(&mut self) {
            proc_macro2::fallback::unforce();
        }
    }
    proc_macro2::fallback::force();
    let _guard = Unforce;
    f()
}

/// Parses a Rust file; call inside [`with_line_spans`] to get line numbers.
pub fn parse_file(text: &str) -> Result<syn::File, String> {
    syn::parse_file(text).map_err(|err| {
        let at = err.span().start();
        format!("{} (line {}:{})", err, at.line, at.column + 1)
    })
}

pub use fastapp_config::is_app_name;

/// Where each token of `tokens` (the annotated item, with the compiler's
/// spans) starts, as (line, 0-based column): findings of the file scan that
/// fall inside the item are spanned on the offending token itself, so
/// editors underline the right place.
pub fn token_spans(
    tokens: proc_macro2::TokenStream,
) -> std::collections::HashMap<(usize, usize), proc_macro2::Span> {
    fn walk(
        tokens: proc_macro2::TokenStream,
        out: &mut std::collections::HashMap<(usize, usize), proc_macro2::Span>,
    ) {
        for token in tokens {
            if let proc_macro2::TokenTree::Group(group) = &token {
                walk(group.stream(), out);
            }
            let start = token.span().start();
            if start.line > 0 {
                out.entry((start.line, start.column)).or_insert(token.span());
            }
        }
    }
    let mut out = std::collections::HashMap::new();
    walk(tokens, &mut out);
    out
}
