//! The app-name rule, and what else a *new* app's name must not be.

/// `true` if `name` is a valid app name: `[a-z][a-z0-9_]*`.
///
/// ```
/// assert!(fastapp_config::is_app_name("blog_posts2"));
/// assert!(!fastapp_config::is_app_name("Blog"));
/// assert!(!fastapp_config::is_app_name("2fa"));
/// ```
pub fn is_app_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('a'..='z')) && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
}

/// `true` if `prefix` can mount an app: `""` (the root), or `/` and path
/// segments of letters, digits, `-`, `.`, `_` and `~` (no parameters,
/// wildcards, spaces, empty segments or trailing `/`: axum cannot route an
/// app under those; no `.` or `..` segment: clients and proxies resolve
/// them away, so no request could reach the app).
///
/// ```
/// assert!(fastapp_config::is_prefix("/blog"));
/// assert!(fastapp_config::is_prefix("/api/v1.2"));
/// assert!(fastapp_config::is_prefix("/.well-known"));
/// assert!(fastapp_config::is_prefix(""));
/// for bad in ["blog", "blog/", "/blog/", "/{tenant}", "/{*rest}", "/news letter", "//x", "/..", "/.", "/news/../x"] {
///     assert!(!fastapp_config::is_prefix(bad), "{bad}");
/// }
/// ```
pub fn is_prefix(prefix: &str) -> bool {
    prefix.is_empty()
        || prefix.strip_prefix('/').is_some_and(|path| {
            path.split('/').all(|segment| {
                !segment.is_empty()
                    && segment != "."
                    && segment != ".."
                    && segment
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c))
            })
        })
}

/// A valid prefix close to `prefix`, for "fix" texts.
///
/// ```
/// assert_eq!(fastapp_config::suggest_prefix("news letter/"), "/news-letter");
/// assert_eq!(fastapp_config::suggest_prefix("/{tenant}"), "/tenant");
/// assert_eq!(fastapp_config::suggest_prefix("/{*x}"), "/x");
/// assert_eq!(fastapp_config::suggest_prefix("/"), "");
/// ```
pub fn suggest_prefix(prefix: &str) -> String {
    let segments: Vec<String> = prefix
        .split('/')
        .map(|segment| {
            segment
                .chars()
                .filter(|c| !"{}*:".contains(*c))
                .map(|c| {
                    if c.is_ascii_alphanumeric() || "-._~".contains(c) {
                        c
                    } else {
                        '-'
                    }
                })
                .collect::<String>()
                .trim_matches('-')
                .to_string()
        })
        .filter(|segment| !segment.is_empty() && segment != "." && segment != "..")
        .collect();
    if segments.is_empty() {
        return String::new();
    }
    format!("/{}", segments.join("/"))
}

/// What [`is_prefix`] accepts, in words (for messages).
///
/// ```
/// use fastapp_config::{is_prefix, PREFIX_RULE};
/// assert!(!is_prefix("/{id}"));
/// assert!(PREFIX_RULE.contains("no `{parameters}`"));
/// ```
pub const PREFIX_RULE: &str =
    "a prefix is \"\" (the root) or `/` and path segments of letters, digits, `-`, `.`, `_` and `~`, \
     without a trailing `/` (no `{parameters}`, wildcards, spaces, or `.` / `..` segments)";

/// Why a name cannot be a new app's (a module and, for an external app, a
/// crate of that name must be legal and must not shadow anything).
///
/// ```
/// use fastapp_config::{check_new_name, NameError};
/// assert_eq!(check_new_name("blog"), Ok(()));
/// assert_eq!(check_new_name("Blog"), Err(NameError::Syntax));
/// assert_eq!(check_new_name("type"), Err(NameError::Keyword));
/// assert_eq!(check_new_name("std"), Err(NameError::Reserved));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    /// Not `[a-z][a-z0-9_]*` (also: a path with `/` or `..`).
    Syntax,
    /// A Rust keyword (`mod`, `type`, `async`, …).
    Keyword,
    /// A name Rust paths already mean something by (`std`, `core`, `crate`, …).
    Reserved,
}

impl std::fmt::Display for NameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            NameError::Syntax => "names are `[a-z][a-z0-9_]*`: a lower-case letter, then lower-case letters, digits and `_`",
            NameError::Keyword => "a Rust keyword cannot name a module or a crate",
            NameError::Reserved => "`std`, `core`, `alloc`, `proc_macro`, `test`, `crate`, `self`, `super` and `apps` already mean something in a Rust path",
        })
    }
}

/// Rust's strict and reserved keywords (2021 edition and later), all of
/// which are lower-case and so pass the syntax rule.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro",
    "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "static", "struct", "trait",
    "true", "try", "type", "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while",
    "yield",
];

/// Names that already mean something at the start of a path in a project.
const RESERVED: &[&str] = &[
    "std",
    "core",
    "alloc",
    "proc_macro",
    "test",
    "crate",
    "self",
    "super",
    "apps",
];

/// Checks a name for a new app: the app-name rule, then keywords and
/// reserved names.
///
/// ```
/// use fastapp_config::{check_new_name, NameError};
/// assert_eq!(check_new_name("blog"), Ok(()));
/// assert_eq!(check_new_name("../blog"), Err(NameError::Syntax));
/// assert_eq!(check_new_name("type"), Err(NameError::Keyword));
/// assert_eq!(check_new_name("core"), Err(NameError::Reserved));
/// ```
pub fn check_new_name(name: &str) -> Result<(), NameError> {
    if !is_app_name(name) {
        Err(NameError::Syntax)
    } else if KEYWORDS.contains(&name) {
        Err(NameError::Keyword)
    } else if RESERVED.contains(&name) {
        Err(NameError::Reserved)
    } else {
        Ok(())
    }
}
