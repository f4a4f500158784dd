//! `fastapp.toml`: the ordered app list, per-app prefixes, migration order
//! and settings defaults.
//!
//! The file is baked into the binary by `project!()`, so a built binary runs
//! without its source tree; errors still point at the file, line and column.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::Error;

/// The parsed `fastapp.toml`.
///
/// ```
/// let config = fastapp_core::config::Config::parse(
///     "fastapp.toml",
///     r#"
///     apps = ["apps.blog", "newsletter"]
///     [app.newsletter]
///     prefix = "/news"
///     "#,
/// ).unwrap();
/// assert_eq!(config.apps[0], fastapp_core::config::AppRef::Internal("blog".into()));
/// assert_eq!(config.app["newsletter"].prefix.as_deref(), Some("/news"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Apps in mount, register and migration order.
    pub apps: Vec<AppRef>,
    /// Per-app overrides, by app name.
    pub app: BTreeMap<String, AppConfig>,
    /// `[settings]` defaults, before `.env` and the environment.
    pub settings: toml::Table,
}

/// One entry of `apps`: `"apps.<name>"` is internal, anything else an external crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppRef {
    /// `"apps.blog"` → `Internal("blog")`.
    Internal(String),
    /// `"newsletter"` → `External("newsletter")` (crate name, `-` as `_`).
    External(String),
}

impl std::fmt::Display for AppRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppRef::Internal(name) => write!(f, "apps.{name}"),
            AppRef::External(name) => f.write_str(name),
        }
    }
}

/// `[app.<name>]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppConfig {
    /// Mount prefix: `/path`, or `""` for the root.
    pub prefix: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    apps: Vec<String>,
    #[serde(default)]
    app: BTreeMap<String, AppConfig>,
    #[serde(default)]
    settings: toml::Table,
}

impl Config {
    /// Parses `text`, naming `file` in errors.
    pub fn parse(file: &str, text: &str) -> Result<Config, Error> {
        let raw: RawConfig = toml::from_str(text).map_err(|err| {
            let (line, column) = err
                .span()
                .map(|span| line_column(text, span.start))
                .unwrap_or((1, 1));
            Error::Config {
                location: format!("{file}:{line}:{column}"),
                message: err.message().to_string(),
            }
        })?;
        let apps = raw
            .apps
            .into_iter()
            .map(|app| match app.strip_prefix("apps.") {
                Some(name) => AppRef::Internal(name.to_string()),
                None => AppRef::External(app.replace('-', "_")),
            })
            .collect();
        Ok(Config {
            apps,
            app: raw.app,
            settings: raw.settings,
        })
    }
}

/// 1-based line and column of byte `offset` in `text`.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_an_error_with_location() {
        let err = Config::parse("fastapp.toml", "apps = []\nappz = 1\n").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("fastapp.toml:2:1"), "{text}");
        assert!(text.contains("appz"), "{text}");
    }

    #[test]
    fn apps_keep_their_order_and_kind() {
        let config = Config::parse("f", r#"apps = ["apps.b", "ext-app", "apps.a"]"#).unwrap();
        assert_eq!(
            config.apps,
            vec![
                AppRef::Internal("b".into()),
                AppRef::External("ext_app".into()),
                AppRef::Internal("a".into())
            ]
        );
    }
}
