//! The facts about a fastapp project that more than one stage needs, written
//! once: the app-name rule, the syntax of an `apps` entry in `fastapp.toml`,
//! and what `diesel.toml` says about the shared schema and migrations.
//!
//! A plain library (no proc macro, no runtime): `fastapp-macros` reads the
//! project's files with it at compile time, `fastapp-core` at start-up, and
//! `cargo-fastapp` before it writes anything.
//!
//! ```
//! use fastapp_config::AppRef;
//! assert_eq!(AppRef::parse("apps.blog"), AppRef::Internal("blog".into()));
//! assert_eq!(AppRef::parse("my-news"), AppRef::External("my_news".into()));
//! assert!(fastapp_config::is_app_name("blog_posts2"));
//! ```

pub mod config;
pub mod diesel;
mod finding;
pub mod manifest;
mod names;
pub mod out;
pub mod rules;

pub use finding::Finding;
pub use names::{check_new_name, is_app_name, is_prefix, suggest_prefix, NameError, PREFIX_RULE};

/// `a/b/../c` → `a/c`, without touching the file system (`#[path]`
/// attributes and `path = "../x"` dependencies produce such paths).
///
/// ```
/// use std::path::Path;
/// assert_eq!(fastapp_config::normalize(Path::new("/p/link/../news/./src")), Path::new("/p/news/src"));
/// ```
pub fn normalize(path: &std::path::Path) -> std::path::PathBuf {
    let mut out = std::path::PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// One entry of `fastapp.toml`'s `apps`: `"apps.<name>"` is an internal app
/// (`src/apps/<name>/`), anything else an external app crate.
///
/// ```
/// use fastapp_config::AppRef;
/// assert_eq!(AppRef::parse("apps.blog"), AppRef::Internal("blog".into()));
/// assert_eq!(AppRef::parse("my-newsletter"), AppRef::External("my_newsletter".into()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AppRef {
    /// `"apps.blog"` → `Internal("blog")`.
    Internal(String),
    /// `"newsletter"` → `External("newsletter")`: the crate name, `-` as `_`.
    External(String),
}

impl AppRef {
    /// Reads one `apps` entry.
    ///
    /// ```
    /// use fastapp_config::AppRef;
    /// assert_eq!(AppRef::parse("apps.accounts").to_string(), "apps.accounts");
    /// assert_eq!(AppRef::parse("newsletter").to_string(), "newsletter");
    /// ```
    pub fn parse(entry: &str) -> AppRef {
        match entry.strip_prefix(INTERNAL_PREFIX) {
            Some(name) => AppRef::Internal(name.to_string()),
            None => AppRef::External(entry.replace('-', "_")),
        }
    }

    /// The entry for an internal app named `name`: `apps.<name>`.
    ///
    /// ```
    /// assert_eq!(fastapp_config::AppRef::internal_entry("blog"), "apps.blog");
    /// ```
    pub fn internal_entry(name: &str) -> String {
        format!("{INTERNAL_PREFIX}{name}")
    }
}

/// What marks an internal app in `apps`.
const INTERNAL_PREFIX: &str = "apps.";

impl std::fmt::Display for AppRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppRef::Internal(name) => write!(f, "{INTERNAL_PREFIX}{name}"),
            AppRef::External(name) => f.write_str(name),
        }
    }
}
