//! Where settings come from, and how each is read: `[settings]` of
//! fastapp.toml, then `.env`, then the environment, over the defaults. A
//! value of the wrong type or out of range is `settings.E020`, naming
//! where it came from.

use std::collections::BTreeMap;

use super::{env_name, Settings, BUILT_IN, PATHS};
use crate::{Error, Finding};

impl Settings {
    /// Layers `[settings]` of `fastapp.toml`, then `.env` (when present in
    /// the working directory; a malformed one is `settings.E024`), then the
    /// environment over the defaults.
    ///
    /// ```
    /// let config = fastapp_core::config::Config::parse(
    ///     "fastapp.toml",
    ///     "apps = []\n[settings]\nfastapp_doc_example_limit = 7\n",
    /// ).unwrap();
    /// let settings = fastapp_core::Settings::load(&config).unwrap();
    /// assert_eq!(settings.project["fastapp_doc_example_limit"].as_integer(), Some(7));
    /// assert!(settings.redacted().contains(&("fastapp_doc_example_limit".into(), "7".into())));
    /// ```
    pub fn load(config: &crate::config::Config) -> Result<Settings, Error> {
        // Variables `.env` sets (the environment wins), with their line.
        let from_dotenv = load_dotenv(std::path::Path::new(".env"))?;
        if std::env::var_os("DATABASE_URL").is_some_and(|v| v.is_empty()) {
            let at = match from_dotenv.get("DATABASE_URL") {
                Some(at) => format!("{at} (DATABASE_URL)"),
                None => "environment variable DATABASE_URL".into(),
            };
            return Err(crate::database_url::check_url("")
                .unwrap_err()
                .location(at)
                .into());
        }
        // A variable that is not UTF-8 would be read as unset, its default
        // used without a word: refused instead.
        let names = BUILT_IN
            .iter()
            .copied()
            .chain(config.settings.keys().map(String::as_str));
        for name in names.map(env_name) {
            if let Err(std::env::VarError::NotUnicode(raw)) = std::env::var(&name) {
                return Err(Finding::new(
                    "settings.E020",
                    format!(
                        "environment variable {name} is not valid UTF-8 (`{}`), so it cannot be read",
                        raw.to_string_lossy()
                    ),
                    format!("set {name} to UTF-8 text, or unset it"),
                )
                .location(format!("environment variable {name}"))
                .into());
            }
        }
        Settings::layered_from(
            &config.settings,
            &config.settings_at,
            |name| std::env::var(name).ok().filter(|v| !v.is_empty()),
            |name| match from_dotenv.get(name) {
                Some(at) => format!("{at} ({name})"),
                None => format!("environment variable {name}"),
            },
        )
    }

    /// [`Settings::layered`], naming where each variable comes from in errors.
    pub(super) fn layered_from(
        config: &toml::Table,
        located: &BTreeMap<String, String>,
        env: impl Fn(&str) -> Option<String>,
        source_of: impl Fn(&str) -> String,
    ) -> Result<Settings, Error> {
        let (values, origin) = overlay(config, located, &env, &source_of)?;
        let origin_of = |key: &str| {
            origin
                .get(key)
                .cloned()
                .unwrap_or_else(|| format!("the default ({key})"))
        };
        let mut settings = Settings::default();
        for (key, value) in values {
            let source = origin_of(&key);
            settings.set(&key, value, &source)?;
        }
        settings.check(&origin_of)?;
        Ok(settings)
    }

    /// Sets `key` (a built-in setting, else a project key) from `value`.
    fn set(&mut self, key: &str, value: toml::Value, source: &str) -> Result<(), Error> {
        let wrong = |settings: &Settings| wrong_type(key, source, &settings.value(key));
        match key {
            "database_url" => self.database_url = value.as_str().ok_or_else(|| wrong(self))?.into(),
            "host" => self.host = value.as_str().ok_or_else(|| wrong(self))?.into(),
            "debug" => self.debug = value.as_bool().ok_or_else(|| wrong(self))?,
            "openapi" => self.openapi = value.as_bool().ok_or_else(|| wrong(self))?,
            "metrics" => self.metrics = value.as_bool().ok_or_else(|| wrong(self))?,
            "port" => self.port = number(key, &value, source, "from 0 (any free port) to 65535")?,
            "body_limit" => self.body_limit = number(key, &value, source, "of 0 or more (bytes)")?,
            "db_pool_size" => {
                self.db_pool_size = number(key, &value, source, "of 0 (the backend's default) to 4294967295")?
            }
            "shutdown_timeout" => self.shutdown_timeout = seconds(key, &value, source, 0, YEAR, "")?,
            "request_timeout" => self.request_timeout = seconds(key, &value, source, 0, YEAR, "0: no limit")?,
            "drain_delay" => self.drain_delay = seconds(key, &value, source, 0, YEAR, "")?,
            "header_timeout" => self.header_timeout = seconds(key, &value, source, 0, YEAR, "0: no limit")?,
            "migrate_lock_timeout" => self.migrate_lock_timeout = seconds(key, &value, source, 0, YEAR, "")?,
            "ddl_lock_timeout" => {
                self.ddl_lock_timeout = seconds(
                    key,
                    &value,
                    source,
                    0,
                    PG_LOCK_TIMEOUT_MAX,
                    "0: forever; at most PostgreSQL's lock_timeout, 2147483647 ms",
                )?
            }
            "db_timeout" => self.db_timeout = seconds(key, &value, source, 1, YEAR, "")?,
            path_key if PATHS.contains(&path_key) => *self.path_mut(key) = path(key, &value, source)?,
            _ => {
                self.project.insert(key.to_string(), value);
            }
        }
        Ok(())
    }

    /// The rules between settings: a `db_timeout` of 0, two of fastapp's
    /// own paths the same, a `database_url` fastapp cannot use.
    fn check(&self, origin_of: &dyn Fn(&str) -> String) -> Result<(), Error> {
        if self.db_timeout == 0 {
            return Err(Finding::new(
                "settings.E020",
                "setting `db_timeout` is 0: a request could never get a database connection",
                "give `db_timeout` 1 or more (seconds a request waits for a connection before 503)",
            )
            .location(origin_of("db_timeout"))
            .into());
        }
        for (i, a) in PATHS.iter().enumerate() {
            for b in &PATHS[i + 1..] {
                let path = self.value(a);
                if path == self.value(b) {
                    let path = path.as_str().unwrap_or_default();
                    return Err(Finding::new(
                        "settings.E020",
                        format!("settings `{a}` and `{b}` are both `{path}`"),
                        "give each path fastapp serves itself its own, e.g. \"/openapi.json\", \"/docs\", \"/healthz\", \"/readyz\", \"/metrics\"",
                    )
                    .location(format!("{} / {}", origin_of(a), origin_of(b)))
                    .into());
                }
            }
        }
        crate::database_url::check_url(&self.database_url)
            .map_err(|finding| finding.location(origin_of("database_url")))?;
        Ok(())
    }
}

/// `config` with the environment laid over it, and where each value comes
/// from, for errors: the environment (or a `.env` line), else fastapp.toml's
/// `file:line:column`.
fn overlay(
    config: &toml::Table,
    located: &BTreeMap<String, String>,
    env: &impl Fn(&str) -> Option<String>,
    source_of: &impl Fn(&str) -> String,
) -> Result<(toml::Table, BTreeMap<String, String>), Error> {
    let mut values = config.clone();
    let mut origin: BTreeMap<String, String> = config
        .keys()
        .map(|key| {
            let at = located
                .get(key)
                .cloned()
                .unwrap_or_else(|| "fastapp.toml [settings]".into());
            (key.clone(), format!("{at} ({key})"))
        })
        .collect();
    for (key, value) in values.iter_mut() {
        if let Some(raw) = env(&env_name(key)) {
            let source = source_of(&env_name(key));
            *value = from_env(value, &raw).ok_or_else(|| wrong_type(key, &source, value))?;
            origin.insert(key.clone(), source);
        }
    }
    for key in BUILT_IN {
        if !values.contains_key(key) {
            if let Some(raw) = env(&env_name(key)) {
                let default = Settings::default().value(key);
                let source = source_of(&env_name(key));
                let value = from_env(&default, &raw).ok_or_else(|| wrong_type(key, &source, &default))?;
                values.insert(key.to_string(), value);
                origin.insert(key.to_string(), source);
            }
        }
    }
    Ok((values, origin))
}

/// A path setting (`openapi_path`, …): a non-empty prefix.
fn path(key: &str, value: &toml::Value, source: &str) -> Result<String, Error> {
    let path = value
        .as_str()
        .filter(|p| !p.is_empty() && fastapp_config::is_prefix(p));
    let Some(path) = path else {
        return Err(Finding::new(
            "settings.E020",
            format!("setting `{key}` is {value}, not a path"),
            format!(
                "set `{key}` to a path such as \"/docs\" ({})",
                fastapp_config::PREFIX_RULE
            ),
        )
        .location(source)
        .into());
    };
    Ok(path.to_string())
}

/// A year of seconds: the most a timeout setting takes (a deadline that far
/// ahead is a typo, and much further overflows the clock: r2d2 panicked on
/// `DB_TIMEOUT=9223372036854775807`).
const YEAR: u64 = 365 * 24 * 60 * 60;

/// PostgreSQL's `lock_timeout` is an `int` of milliseconds: the most
/// `ddl_lock_timeout` can be, in seconds.
const PG_LOCK_TIMEOUT_MAX: u64 = i32::MAX as u64 / 1000;

/// A setting of whole seconds from `min` to `max` (`note` says what a value
/// means, e.g. "0: no limit").
///
/// ```
/// # use fastapp_core::{config::Config, Settings};
/// let config = Config::parse("fastapp.toml", "apps = []\n[settings]\ndb_timeout = 9223372036854775807\n").unwrap();
/// let err = Settings::load(&config).unwrap_err();
/// assert!(err.to_string().contains("give `db_timeout` a value from 1 to 31536000 (seconds)"), "{err}");
/// ```
fn seconds(
    key: &str,
    value: &toml::Value,
    source: &str,
    min: u64,
    max: u64,
    note: &str,
) -> Result<u64, Error> {
    let note = if note.is_empty() {
        String::new()
    } else {
        format!("; {note}")
    };
    let range = format!("from {min} to {max} (seconds{note})");
    let n: u64 = number(key, value, source, &range)?;
    if (min..=max).contains(&n) {
        return Ok(n);
    }
    Err(out_of_range(key, source, n, &range))
}

/// An integer setting that must fit `T`; `settings.E020` otherwise.
fn number<T: TryFrom<i64>>(key: &str, value: &toml::Value, source: &str, range: &str) -> Result<T, Error> {
    let n = value
        .as_integer()
        .ok_or_else(|| wrong_type(key, source, &toml::Value::Integer(0)))?;
    T::try_from(n).map_err(|_| out_of_range(key, source, n, range))
}

/// settings.E020 for a number outside `range` (in words).
fn out_of_range(key: &str, source: &str, n: impl std::fmt::Display, range: &str) -> Error {
    Finding::new(
        "settings.E020",
        format!("setting `{key}` from {source} is {n}, which is out of range"),
        format!("give `{key}` a value {range}"),
    )
    .location(source)
    .into()
}

fn wrong_type(key: &str, source: &str, expected_like: &toml::Value) -> Error {
    let kind = expected_like.type_str();
    let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    Finding::new(
        "settings.E020",
        format!("setting `{key}` from {source} is not {article} {kind}"),
        format!("give `{key}` {article} {kind} value"),
    )
    .location(source)
    .into()
}

/// Reads `.env` (when it is a file) into the process environment without
/// overriding what is set, all or nothing; the variables it set, each with
/// `.env:<line>`. A malformed line is `settings.E024` at `.env:line:column`.
pub(super) fn load_dotenv(
    path: &std::path::Path,
) -> Result<std::collections::HashMap<String, String>, Error> {
    let mut set = std::collections::HashMap::new();
    let name = path.display().to_string();
    if path.exists() && !path.is_file() {
        return Err(Finding::new(
            "settings.E024",
            format!("{name} is not a file (a directory?), so its settings cannot be read"),
            format!("remove or rename {name}, or make it a file of `KEY=value` lines"),
        )
        .location(name)
        .into());
    }
    if !path.is_file() {
        return Ok(set);
    }
    let failed = |message: String, location: String| {
        Error::from(
            Finding::new(
                "settings.E024",
                format!("cannot read {name}: {message}"),
                "write one `KEY=value` per line (quote values with spaces or `#`, and close every quote)",
            )
            .location(location),
        )
    };
    let text = std::fs::read_to_string(path).map_err(|err| failed(err.to_string(), name.clone()))?;
    let iter = dotenvy::from_path_iter(path).map_err(|err| failed(err.to_string(), name.clone()))?;
    let mut pairs = Vec::new();
    for item in iter {
        match item {
            Ok(pair) => pairs.push(pair),
            Err(dotenvy::Error::LineParse(line, index)) => {
                // `line` may run over several lines (a quoted value): point
                // into its first line, at most just past its end.
                let start = text.find(line.trim_end()).unwrap_or(0);
                let row = text[..start].matches('\n').count() + 1;
                let first = line.lines().next().unwrap_or("");
                let column = index.min(first.chars().count()) + 1;
                // The key, never the value: it may be a secret.
                let shown = match first.split_once('=') {
                    Some((key, _)) => format!("`{}=…`", key.trim_end()),
                    None => format!("`{}`", first.trim_end()),
                };
                return Err(failed(
                    format!("line {row} does not parse: {shown}"),
                    format!("{name}:{row}:{column}"),
                ));
            }
            Err(err) => return Err(failed(err.to_string(), name.clone())),
        }
    }
    // The environment cannot hold a NUL (`set_var` would panic, printing
    // the value, a secret perhaps): refuse the file, naming only the key,
    // before anything is set.
    if let Some((key, _)) = pairs
        .iter()
        .find(|(key, value)| key.contains('\0') || value.contains('\0'))
    {
        return Err(Finding::new(
            "settings.E024",
            format!("cannot read {name}: the value of `{key}` holds a NUL character, which the environment cannot hold"),
            "remove the NUL character (a zero byte) from that line",
        )
        .location(format!("{name}:{}", line_of(&text, key)))
        .into());
    }
    for (key, value) in pairs {
        if std::env::var_os(&key).is_some() {
            continue;
        }
        let row = line_of(&text, &key);
        std::env::set_var(&key, value);
        set.insert(key, format!("{name}:{row}"));
    }
    Ok(set)
}

/// The 1-based line of `.env` text that sets `key` (0 when not found).
fn line_of(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            let l = l.strip_prefix("export ").unwrap_or(l).trim_start();
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(0, |i| i + 1)
}

/// Parses an environment value into the type of `like`.
fn from_env(like: &toml::Value, raw: &str) -> Option<toml::Value> {
    Some(match like {
        toml::Value::String(_) => raw.into(),
        toml::Value::Integer(_) => raw.trim().parse::<i64>().ok()?.into(),
        toml::Value::Float(_) => raw.trim().parse::<f64>().ok()?.into(),
        toml::Value::Boolean(_) => match raw.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => true.into(),
            "0" | "false" | "no" | "off" => false.into(),
            _ => return None,
        },
        _ => toml::from_str::<toml::Table>(&format!("v = {raw}"))
            .ok()?
            .remove("v")?,
    })
}
