//! `fastapp.toml`: the ordered app list, per-app prefixes, migration order
//! and settings defaults.
//!
//! The file is baked into the binary by `project!()`, so a built binary runs
//! without its source tree; errors still point at the file, line and column.
//!
//! ```toml
//! apps = ["apps.accounts", "apps.blog", "newsletter"]   # mount, register, migration order
//!
//! [app.newsletter]
//! prefix = "/news"              # default "/<name>"; "" mounts at the root
//!
//! [app.blog]
//! uses = ["accounts"]           # the internal apps blog may use (`[]`: none)
//!
//! [migration]
//! order = ["core", "newsletter"] # default: core, then external apps in `apps` order
//!
//! [settings]
//! database_url = "example.db"
//! page_size = 20                # a project setting, read with Settings::get
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::{AppRef, Finding};

/// The parsed `fastapp.toml`.
///
/// ```
/// use fastapp_config::{AppRef, config::Config};
/// let config = Config::parse(
///     "fastapp.toml",
///     "apps = [\"apps.blog\", \"newsletter\"]\n[app.newsletter]\nprefix = \"/news\"\n",
/// ).unwrap();
/// assert_eq!(config.apps[0].app, AppRef::Internal("blog".into()));
/// assert_eq!(config.apps[1].location, "fastapp.toml:1:22");
/// assert_eq!(config.prefix_of("newsletter").map(|p| p.0), Some("/news"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file name, for messages.
    pub file: String,
    /// Apps in mount, register and migration order.
    pub apps: Vec<ListedApp>,
    /// `[app.<name>]` tables, by app name.
    app_tables: BTreeMap<String, AppTable>,
    /// `[migration] order`, if given, with its location.
    pub migration_order: Option<(Vec<String>, String)>,
    /// `[settings]` defaults, before `.env` and the environment.
    pub settings: toml::Table,
    /// Where each `[settings]` key's value is written (`file:line:column`).
    pub settings_at: BTreeMap<String, String>,
    /// `[check] silence`: warning ids `check` and start-up do not report,
    /// each with its location.
    pub silence: Vec<(String, String)>,
}

/// One entry of `apps`, with where it is written.
///
/// ```
/// use fastapp_config::{config::Config, AppRef};
/// let config = Config::parse("fastapp.toml", "apps = [\"apps.blog\"]").unwrap();
/// assert_eq!(config.apps[0].app, AppRef::Internal("blog".into()));
/// assert_eq!(config.apps[0].location, "fastapp.toml:1:9"); // the entry's opening quote
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedApp {
    /// The app.
    pub app: AppRef,
    /// `file:line:column` of the entry.
    pub location: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    apps: Vec<Spanned<String>>,
    #[serde(default)]
    app: BTreeMap<Spanned<String>, RawAppConfig>,
    #[serde(default)]
    migration: Option<RawMigration>,
    #[serde(default)]
    settings: BTreeMap<String, Spanned<toml::Value>>,
    #[serde(default)]
    check: Option<RawCheck>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    #[serde(default)]
    silence: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAppConfig {
    prefix: Option<Spanned<String>>,
    uses: Option<Spanned<Vec<Spanned<String>>>>,
}

/// One `[app.<name>]` table, each value with its `file:line:column`.
#[derive(Debug, Clone, Default)]
struct AppTable {
    at: String,
    prefix: Option<(String, String)>,
    uses: Option<Uses>,
}

/// `[app.<name>] uses`: the internal apps an app declares it may use.
///
/// ```
/// let config = fastapp_config::config::Config::parse(
///     "fastapp.toml",
///     "apps = [\"apps.accounts\", \"apps.blog\"]\n[app.blog]\nuses = [\"accounts\"]\n",
/// ).unwrap();
/// let uses = config.uses_of("blog").unwrap();
/// assert_eq!(uses.apps, ["accounts"]);
/// assert_eq!(uses.location, "fastapp.toml:3:8");
/// assert_eq!(uses.entry_locations, ["fastapp.toml:3:9"]);
/// assert!(config.uses_of("accounts").is_none()); // not declared: unrestricted
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Uses {
    /// The app names, as written.
    pub apps: Vec<String>,
    /// `file:line:column` of the list.
    pub location: String,
    /// `file:line:column` of each entry.
    pub entry_locations: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMigration {
    order: Spanned<Vec<String>>,
}

impl Config {
    /// Parses `text`, naming `file` in errors (`config.E034`, with the
    /// line and column).
    ///
    /// ```
    /// use fastapp_config::config::Config;
    /// let err = Config::parse("fastapp.toml", "apps = [\"apps.blog\"]\nmigrations = 1\n").unwrap_err();
    /// assert_eq!(err.id, "config.E034");
    /// assert!(err.location.as_deref().unwrap().starts_with("fastapp.toml:2"), "{err}");
    /// ```
    pub fn parse(file: &str, text: &str) -> Result<Config, Finding> {
        let at = |offset: usize| {
            let (line, column) = line_column(text, offset);
            format!("{file}:{line}:{column}")
        };
        let raw: RawConfig = toml::from_str(text).map_err(|err| {
            let location = at(err.span().map_or(0, |span| span.start));
            let message = err.message().trim().to_string();
            let fix = did_you_mean(&message)
                .map(|(wrong, right)| format!("did you mean `{right}` instead of `{wrong}`?"))
                .unwrap_or_else(|| {
                    "correct the key or value at that position (the README lists every key)".into()
                });
            Finding::new("config.E034", format!("invalid {file}: {message}"), fix).location(location)
        })?;
        let apps = raw
            .apps
            .iter()
            .map(|entry| ListedApp {
                app: AppRef::parse(entry.get_ref()),
                location: at(entry.span().start),
            })
            .collect();
        let app_tables = raw
            .app
            .into_iter()
            .map(|(name, app)| {
                let prefix = app.prefix.map(|p| (p.get_ref().clone(), at(p.span().start)));
                let uses = app.uses.map(|list| Uses {
                    location: at(list.span().start),
                    entry_locations: list.get_ref().iter().map(|e| at(e.span().start)).collect(),
                    apps: list.into_inner().into_iter().map(Spanned::into_inner).collect(),
                });
                let table = AppTable {
                    at: at(name.span().start),
                    prefix,
                    uses,
                };
                (name.get_ref().clone(), table)
            })
            .collect();
        let silence = raw
            .check
            .map(|c| c.silence)
            .unwrap_or_default()
            .into_iter()
            .map(|id| silenced(id.get_ref(), at(id.span().start)))
            .collect::<Result<_, _>>()?;
        Ok(Config {
            file: file.to_string(),
            silence,
            apps,
            app_tables,
            migration_order: raw
                .migration
                .map(|m| (m.order.get_ref().clone(), at(m.order.span().start))),
            settings_at: raw
                .settings
                .iter()
                .map(|(key, value)| (key.clone(), at(value.span().start)))
                .collect(),
            settings: raw
                .settings
                .into_iter()
                .map(|(key, value)| (key, value.into_inner()))
                .collect(),
        })
    }

    /// `[app.<name>] prefix` and its location, if configured.
    ///
    /// ```
    /// let config = fastapp_config::config::Config::parse(
    ///     "fastapp.toml",
    ///     "apps = [\"newsletter\"]\n[app.newsletter]\nprefix = \"/news\"\n",
    /// ).unwrap();
    /// assert_eq!(config.prefix_of("newsletter"), Some(("/news", "fastapp.toml:3:10")));
    /// assert_eq!(config.prefix_of("blog"), None);
    /// ```
    pub fn prefix_of(&self, app: &str) -> Option<(&str, &str)> {
        self.app_tables
            .get(app)
            .and_then(|table| table.prefix.as_ref())
            .map(|(p, at)| (p.as_str(), at.as_str()))
    }

    /// `[app.<name>] uses`, if the app declares it (`None`: unrestricted).
    /// See [`Uses`].
    pub fn uses_of(&self, app: &str) -> Option<&Uses> {
        self.app_tables.get(app).and_then(|table| table.uses.as_ref())
    }

    /// Names of apps with an `[app.<name>]` table, with its location.
    ///
    /// ```
    /// let config = fastapp_config::config::Config::parse("fastapp.toml", "apps = []\n[app.blog]\n").unwrap();
    /// let tables: Vec<(&str, &str)> = config.configured_apps().collect();
    /// assert_eq!(tables, [("blog", "fastapp.toml:2:6")]); // the name in `[app.blog]`
    /// ```
    pub fn configured_apps(&self) -> impl Iterator<Item = (&str, &str)> {
        self.app_tables
            .iter()
            .map(|(name, table)| (name.as_str(), table.at.as_str()))
    }
}

/// From serde's "unknown field `appz`, expected one of `apps`, `app`", the
/// wrong key and the closest expected one.
fn did_you_mean(message: &str) -> Option<(String, String)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (wrong, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    let best = expected
        .iter()
        .map(|e| (strsim::levenshtein(wrong, e), *e))
        .min_by_key(|(d, _)| *d)
        .filter(|(d, e)| *d <= (e.len() / 2).max(2))?;
    Some((wrong.to_string(), best.1.to_string()))
}

/// 1-based line and column of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// One `[check] silence` entry: a warning's id (an old id is taken as its
/// rule's), at `location`; `check.E070` for no rule, `check.E071` for an error.
fn silenced(id: &str, location: String) -> Result<(String, String), Finding> {
    let Some(rule) = crate::rules::find(id) else {
        let fix = match crate::rules::closest(id) {
            Some(known) => format!("did you mean `{known}`? (`cargo fastapp explain` lists every rule)"),
            None => {
                "name a warning's id, e.g. \"app.W001\" (`cargo fastapp explain` lists every rule)".into()
            }
        };
        return Err(Finding::new(
            "check.E070",
            format!("`[check] silence` names `{id}`, which is not a rule of fastapp"),
            fix,
        )
        .location(location));
    };
    if !rule.is_warning() {
        return Err(Finding::new(
            "check.E071",
            format!("`[check] silence` names `{id}`, an error: errors cannot be silenced, because they stop `serve` too"),
            format!("fix what `{id}` reports (run `check`), and remove it from `silence`"),
        )
        .location(location));
    }
    Ok((rule.id.to_string(), location))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(text: &str) -> Finding {
        Config::parse("fastapp.toml", text).unwrap_err()
    }

    #[test]
    fn unknown_key_has_location_and_did_you_mean() {
        let f = finding("apps = []\nappz = 1\n");
        assert_eq!(f.id, "config.E034");
        assert_eq!(f.location.as_deref(), Some("fastapp.toml:2:1"));
        assert!(f.message.contains("appz"), "{f}");
        assert_eq!(f.fix, "did you mean `apps` instead of `appz`?");
    }

    #[test]
    fn unknown_app_key_suggests_prefix() {
        let f = finding("apps = []\n[app.blog]\nprefx = \"/b\"\n");
        assert_eq!(f.location.as_deref(), Some("fastapp.toml:3:1"));
        assert_eq!(f.fix, "did you mean `prefix` instead of `prefx`?");
    }

    #[test]
    fn wrong_type_is_located() {
        let f = finding("apps = \"apps.blog\"\n");
        assert_eq!(f.location.as_deref(), Some("fastapp.toml:1:8"));
    }

    #[test]
    fn apps_keep_their_order_kind_and_location() {
        let config = Config::parse("f", "apps = [\n  \"apps.b\",\n  \"ext-app\",\n  \"apps.a\",\n]").unwrap();
        let apps: Vec<_> = config
            .apps
            .iter()
            .map(|a| (a.app.clone(), a.location.as_str()))
            .collect();
        assert_eq!(
            apps,
            vec![
                (AppRef::Internal("b".into()), "f:2:3"),
                (AppRef::External("ext_app".into()), "f:3:3"),
                (AppRef::Internal("a".into()), "f:4:3"),
            ]
        );
    }

    #[test]
    fn migration_order_and_prefix_are_read() {
        let config = Config::parse(
            "f",
            "apps = []\n[app.blog]\nprefix = \"\"\n[migration]\norder = [\"core\", \"news\"]\n",
        )
        .unwrap();
        assert_eq!(config.prefix_of("blog"), Some(("", "f:3:10")));
        assert_eq!(config.migration_order.unwrap().0, ["core", "news"]);
    }

    #[test]
    fn uses_is_read_empty_or_absent() {
        let config = Config::parse("f", "apps = []\n[app.a]\nuses = []\n[app.b]\nprefix = \"/b\"\n").unwrap();
        assert_eq!(config.uses_of("a").map(|u| u.apps.len()), Some(0));
        assert!(config.uses_of("b").is_none());
        let f = finding("apps = []\n[app.a]\nuses = \"b\"\n");
        assert_eq!(f.location.as_deref(), Some("fastapp.toml:3:8"));
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::Config;

    /// The text at `file:line:column` of `text`.
    fn at<'t>(text: &'t str, location: &str) -> &'t str {
        let mut parts = location.rsplitn(3, ':');
        let column: usize = parts.next().unwrap().parse().unwrap();
        let line: usize = parts.next().unwrap().parse().unwrap();
        let start: usize = text.split_inclusive('\n').take(line - 1).map(str::len).sum();
        &text[start + column - 1..]
    }

    proptest! {
        /// Whatever the file holds, parsing returns: a config or a finding
        /// with a location, never a panic.
        #[test]
        fn any_text_parses_or_is_located(text in "\\PC{0,200}") {
            if let Err(finding) = Config::parse("fastapp.toml", &text) {
                prop_assert!(finding.location.is_some_and(|l| l.starts_with("fastapp.toml")));
                prop_assert!(!finding.fix.is_empty());
            }
        }

        /// Near-TOML (config keys, brackets, quotes, newlines shuffled)
        /// too, where the parser gets further in.
        #[test]
        fn near_toml_parses_or_is_located(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("apps"), Just(" = "), Just("["), Just("]"), Just("\""), Just("apps.blog"),
                    Just(","), Just("\n"), Just("[app.blog]"), Just("prefix"), Just("/b"),
                    Just("[settings]"), Just("port"), Just("8000"), Just("[check]"), Just("silence"),
                    Just("app.W001"), Just("[migration]"), Just("order"), Just("#"),
                ],
                0..40,
            )
        ) {
            let text = parts.concat();
            if let Err(finding) = Config::parse("fastapp.toml", &text) {
                prop_assert!(finding.location.is_some());
            }
        }

        /// A valid config keeps its apps in order, each located at its
        /// quoted entry, and its settings located at their values.
        #[test]
        fn valid_configs_locate_every_entry(
            names in proptest::collection::vec("[a-z][a-z0-9_]{0,8}", 0..6),
            spaces in " {0,3}",
            port in 0u16..,
        ) {
            let entries: Vec<String> = names.iter().map(|n| format!("\"apps.{n}\"")).collect();
            let text = format!("apps = [{spaces}{}]\n[settings]\nport ={spaces}{port}\n", entries.join(&format!(",{spaces}")));
            let config = Config::parse("fastapp.toml", &text).unwrap();
            prop_assert_eq!(config.apps.len(), names.len());
            for (listed, entry) in config.apps.iter().zip(&entries) {
                prop_assert!(at(&text, &listed.location).starts_with(entry.as_str()));
            }
            prop_assert!(at(&text, &config.settings_at["port"]).starts_with(&port.to_string()));
        }
    }
}
