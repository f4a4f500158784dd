//! Typed settings, layered: defaults < `fastapp.toml [settings]` < `.env` <
//! environment.
//!
//! `database_url`, `debug`, `host`, `port`, `shutdown_timeout`,
//! `request_timeout`, `drain_delay`, `header_timeout`, `body_limit`, `migrate_lock_timeout`, `ddl_lock_timeout`,
//! `db_timeout`, `db_pool_size`, `openapi`, `openapi_path`, `docs_path`, `health_path`, `ready_path`,
//! `metrics` and `metrics_path` always exist. A project adds
//! its own keys to `[settings]` and reads them typed with [`Settings::get`].
//! A built-in setting is overridden by the environment variable of its name
//! in upper case (`PORT`); a project key by the same with the prefix `APP_`
//! (`APP_PAGE_SIZE`: see [`env_name`]). Secrets never reach logs: URLs lose their password and keys
//! named like secrets (or typed [`Secret`]) print as `***`.

use std::sync::OnceLock;

use serde::de::DeserializeOwned;

use crate::{Error, Finding};

pub use crate::database_url::{redact_url, scrub};
pub use crate::secrets::{is_secret_key, Secret, SECRET_PAIRS, SECRET_WORDS};

/// The effective settings.
///
/// ```
/// let settings = fastapp_core::Settings::default();
/// assert_eq!(settings.port, 8000);
/// assert_eq!(settings.host, "127.0.0.1");
/// ```
#[derive(Clone, PartialEq)]
pub struct Settings {
    /// `DATABASE_URL`: a SQLite file path (default) or a `postgres://` URL.
    pub database_url: String,
    /// `DEBUG`: verbose logging.
    pub debug: bool,
    /// `HOST`: address to serve on.
    pub host: String,
    /// `PORT`: port to serve on (`0` picks a free one).
    pub port: u16,
    /// `SHUTDOWN_TIMEOUT`: seconds `serve` waits for in-flight requests
    /// after SIGINT/SIGTERM before it stops anyway (a second signal stops
    /// it at once).
    pub shutdown_timeout: u64,
    /// `REQUEST_TIMEOUT`: seconds a request may take before it is answered
    /// 503 (`0`, the default: no limit).
    pub request_timeout: u64,
    /// `DRAIN_DELAY`: seconds `serve` goes on serving after SIGTERM, with
    /// `ready_path` answering 503, so a load balancer's health check takes
    /// the replica out before it stops accepting (SIGINT and `serve --dev`
    /// skip it; a second signal ends it).
    pub drain_delay: u64,
    /// `HEADER_TIMEOUT`: seconds a request head may take to arrive, from
    /// the connection's accept or from its first bytes after the previous
    /// request; the connection is closed after (a slowloris). An idle
    /// keep-alive connection is not affected. `0`: no limit.
    pub header_timeout: u64,
    /// `BODY_LIMIT`: the largest request body accepted, in bytes (413 above).
    pub body_limit: usize,
    /// `MIGRATE_LOCK_TIMEOUT`: seconds a migration run waits for another
    /// runner's lock before it fails naming the holder (`migration.E052`).
    pub migrate_lock_timeout: u64,
    /// `DDL_LOCK_TIMEOUT`: on PostgreSQL, seconds a migration's statement
    /// waits for a table lock before it fails (`lock_timeout`), so it never
    /// queues forever behind a long query with every query on that table
    /// queued behind it (`0`: wait forever).
    pub ddl_lock_timeout: u64,
    /// `DB_TIMEOUT`: seconds a request waits for a database connection
    /// before it is answered 503 (the database is down or every connection
    /// is busy); requests succeed again once it is back, without a restart.
    pub db_timeout: u64,
    /// `DB_POOL_SIZE`: the most database connections one process opens
    /// (`0`, the default: 4 on SQLite, 10 on PostgreSQL). Replicas × pool
    /// size must fit PostgreSQL's `max_connections`.
    pub db_pool_size: u32,
    /// `OPENAPI`: serve the merged OpenAPI document and the docs page.
    pub openapi: bool,
    /// `OPENAPI_PATH`: where the OpenAPI document is served.
    pub openapi_path: String,
    /// `DOCS_PATH`: where the docs page is served.
    pub docs_path: String,
    /// `HEALTH_PATH`: liveness, 200 while the process answers.
    pub health_path: String,
    /// `READY_PATH`: readiness, 200 when the database answers, no migration
    /// is pending and every app's own checks pass; 503 naming what failed.
    pub ready_path: String,
    /// `METRICS`: serve Prometheus metrics at `metrics_path` (off by
    /// default: it is served on the public port).
    pub metrics: bool,
    /// `METRICS_PATH`: where the metrics are served, when on.
    pub metrics_path: String,
    /// The project's own settings, after `.env` and environment overrides.
    pub project: toml::Table,
}

/// As `settings` prints them: the URL's password and secret-named keys
/// `***` (see [`SECRET_WORDS`]).
///
/// ```
/// let mut s = fastapp_core::Settings::default();
/// s.database_url = "postgres://app:hunter2@db/app".into();
/// s.project.insert("jwt_signing_key".into(), "k3y".into());
/// let shown = format!("{s:?}");
/// assert!(!shown.contains("hunter2") && !shown.contains("k3y"), "{shown}");
/// assert!(shown.contains("port: Integer(8000)"), "{shown}");
/// ```
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut out = f.debug_struct("Settings");
        for (key, value) in self.redacted_table() {
            out.field(&key, &value);
        }
        out.finish()
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database_url: "fastapp.db".into(),
            debug: false,
            host: "127.0.0.1".into(),
            port: 8000,
            shutdown_timeout: 30,
            request_timeout: 0,
            drain_delay: 5,
            header_timeout: 10,
            body_limit: 2 * 1024 * 1024,
            migrate_lock_timeout: 60,
            ddl_lock_timeout: 10,
            db_timeout: 5,
            db_pool_size: 0,
            openapi: true,
            openapi_path: "/openapi.json".into(),
            docs_path: "/docs".into(),
            health_path: "/healthz".into(),
            ready_path: "/readyz".into(),
            metrics: false,
            metrics_path: "/metrics".into(),
            project: toml::Table::new(),
        }
    }
}

const BUILT_IN: [&str; 20] = [
    "database_url",
    "debug",
    "host",
    "port",
    "shutdown_timeout",
    "request_timeout",
    "drain_delay",
    "header_timeout",
    "body_limit",
    "migrate_lock_timeout",
    "ddl_lock_timeout",
    "db_timeout",
    "db_pool_size",
    "openapi",
    "openapi_path",
    "docs_path",
    "health_path",
    "ready_path",
    "metrics",
    "metrics_path",
];

/// The settings naming a path fastapp serves itself.
const PATHS: [&str; 5] = [
    "openapi_path",
    "docs_path",
    "health_path",
    "ready_path",
    "metrics_path",
];

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

    /// [`Settings::load`] with an explicit environment (for tests).
    ///
    /// ```
    /// let config: toml::Table = toml::from_str("port = 9000\npage_size = 20").unwrap();
    /// let env = |name: &str| (name == "APP_PAGE_SIZE").then(|| "50".to_string());
    /// let settings = fastapp_core::Settings::layered(&config, env).unwrap();
    /// assert_eq!(settings.port, 9000);
    /// assert_eq!(settings.project["page_size"].as_integer(), Some(50));
    /// ```
    pub fn layered(config: &toml::Table, env: impl Fn(&str) -> Option<String>) -> Result<Settings, Error> {
        Settings::layered_from(config, &Default::default(), env, |name| {
            format!("environment variable {name}")
        })
    }

    /// [`Settings::layered`], naming where each variable comes from in errors.
    fn layered_from(
        config: &toml::Table,
        located: &std::collections::BTreeMap<String, String>,
        env: impl Fn(&str) -> Option<String>,
        source_of: impl Fn(&str) -> String,
    ) -> Result<Settings, Error> {
        let mut values = config.clone();
        // Where each value comes from, for errors: the environment (or a
        // `.env` line), else fastapp.toml's `file:line:column`.
        let mut origin: std::collections::BTreeMap<String, String> = config
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
        let origin_of = |key: &str| {
            origin
                .get(key)
                .cloned()
                .unwrap_or_else(|| format!("the default ({key})"))
        };
        let mut settings = Settings::default();
        for (key, value) in values {
            let source = &origin_of(&key);
            match key.as_str() {
                "database_url" => {
                    settings.database_url = value
                        .as_str()
                        .ok_or_else(|| wrong_type(&key, source, &settings.value(&key)))?
                        .into()
                }
                "debug" => {
                    settings.debug = value
                        .as_bool()
                        .ok_or_else(|| wrong_type(&key, source, &settings.value(&key)))?
                }
                "host" => {
                    settings.host = value
                        .as_str()
                        .ok_or_else(|| wrong_type(&key, source, &settings.value(&key)))?
                        .into()
                }
                "port" => settings.port = number(&key, &value, source, "from 0 (any free port) to 65535")?,
                "shutdown_timeout" => settings.shutdown_timeout = seconds(&key, &value, source, 0, YEAR, "")?,
                "request_timeout" => {
                    settings.request_timeout = seconds(&key, &value, source, 0, YEAR, "0: no limit")?
                }
                "drain_delay" => settings.drain_delay = seconds(&key, &value, source, 0, YEAR, "")?,
                "header_timeout" => {
                    settings.header_timeout = seconds(&key, &value, source, 0, YEAR, "0: no limit")?
                }
                "body_limit" => settings.body_limit = number(&key, &value, source, "of 0 or more (bytes)")?,
                "migrate_lock_timeout" => {
                    settings.migrate_lock_timeout = seconds(&key, &value, source, 0, YEAR, "")?
                }
                "ddl_lock_timeout" => {
                    settings.ddl_lock_timeout = seconds(
                        &key,
                        &value,
                        source,
                        0,
                        PG_LOCK_TIMEOUT_MAX,
                        "0: forever; at most PostgreSQL's lock_timeout, 2147483647 ms",
                    )?
                }
                "db_timeout" => settings.db_timeout = seconds(&key, &value, source, 1, YEAR, "")?,
                "db_pool_size" => {
                    settings.db_pool_size =
                        number(&key, &value, source, "of 0 (the backend's default) to 4294967295")?
                }
                "openapi" | "metrics" => {
                    let on = value
                        .as_bool()
                        .ok_or_else(|| wrong_type(&key, source, &settings.value(&key)))?;
                    if key == "openapi" {
                        settings.openapi = on;
                    } else {
                        settings.metrics = on;
                    }
                }
                path_key if PATHS.contains(&path_key) => {
                    let path = value
                        .as_str()
                        .filter(|p| !p.is_empty() && fastapp_config::is_prefix(p))
                        .ok_or_else(|| {
                            Error::from(
                                Finding::new(
                                    "settings.E020",
                                    format!("setting `{key}` is {value}, not a path"),
                                    format!(
                                        "set `{key}` to a path such as \"/docs\" ({})",
                                        fastapp_config::PREFIX_RULE
                                    ),
                                )
                                .location(source),
                            )
                        })?
                        .to_string();
                    *settings.path_mut(&key) = path;
                }
                _ => {
                    settings.project.insert(key, value);
                }
            }
        }
        if settings.db_timeout == 0 {
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
                let path = settings.value(a);
                if path == settings.value(b) {
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
        crate::database_url::check_url(&settings.database_url)
            .map_err(|finding| finding.location(origin_of("database_url")))?;
        Ok(settings)
    }

    fn value(&self, key: &str) -> toml::Value {
        match key {
            "database_url" => self.database_url.clone().into(),
            "debug" => self.debug.into(),
            "host" => self.host.clone().into(),
            "port" => i64::from(self.port).into(),
            "shutdown_timeout" => i64::try_from(self.shutdown_timeout).unwrap_or(i64::MAX).into(),
            "request_timeout" => i64::try_from(self.request_timeout).unwrap_or(i64::MAX).into(),
            "drain_delay" => i64::try_from(self.drain_delay).unwrap_or(i64::MAX).into(),
            "header_timeout" => i64::try_from(self.header_timeout).unwrap_or(i64::MAX).into(),
            "body_limit" => i64::try_from(self.body_limit).unwrap_or(i64::MAX).into(),
            "migrate_lock_timeout" => i64::try_from(self.migrate_lock_timeout)
                .unwrap_or(i64::MAX)
                .into(),
            "ddl_lock_timeout" => i64::try_from(self.ddl_lock_timeout).unwrap_or(i64::MAX).into(),
            "db_timeout" => i64::try_from(self.db_timeout).unwrap_or(i64::MAX).into(),
            "db_pool_size" => i64::from(self.db_pool_size).into(),
            "openapi" => self.openapi.into(),
            "openapi_path" => self.openapi_path.clone().into(),
            "docs_path" => self.docs_path.clone().into(),
            "health_path" => self.health_path.clone().into(),
            "ready_path" => self.ready_path.clone().into(),
            "metrics" => self.metrics.into(),
            "metrics_path" => self.metrics_path.clone().into(),
            other => self.project.get(other).cloned().unwrap_or_else(|| "".into()),
        }
    }

    /// The project's own settings, typed.
    ///
    /// ```
    /// #[derive(serde::Deserialize)]
    /// struct Site { page_size: i64, api_token: fastapp_core::Secret<String> }
    /// let config: toml::Table = toml::from_str("page_size = 20\napi_token = \"t0p\"").unwrap();
    /// let settings = fastapp_core::Settings::layered(&config, |_| None).unwrap();
    /// let site: Site = settings.get().unwrap();
    /// assert_eq!(site.page_size, 20);
    /// assert_eq!(site.api_token.expose(), "t0p");
    /// assert_eq!(format!("{:?}", site.api_token), "***");
    /// ```
    pub fn get<T: DeserializeOwned>(&self) -> Result<T, Error> {
        toml::Value::Table(self.project.clone()).try_into().map_err(|err: toml::de::Error| {
            Finding::new(
                "settings.E021",
                format!("the project's settings do not fit {}: {}", std::any::type_name::<T>(), err.message()),
                "add the missing key to fastapp.toml [settings] (or its environment variable), or fix its type",
            )
            .into()
        })
    }

    /// Every setting as `(key, printable value)`, sorted, secrets redacted.
    ///
    /// ```
    /// let mut s = fastapp_core::Settings::default();
    /// s.database_url = "postgres://app:hunter2@db/app".into();
    /// s.project.insert("api_token".into(), "t0p".into());
    /// let shown = s.redacted();
    /// assert!(shown.contains(&("database_url".into(), "postgres://app:***@db/app".into())));
    /// assert!(shown.contains(&("api_token".into(), "***".into())));
    /// let smtp: toml::Table = toml::from_str("host = \"mail\"\npassword = \"pw\"").unwrap();
    /// s.project.insert("smtp".into(), smtp.into());
    /// let shown = s.redacted();
    /// assert!(shown.contains(&("smtp.password".into(), "***".into())));
    /// assert!(shown.contains(&("smtp.host".into(), "mail".into())));
    /// ```
    pub fn redacted(&self) -> Vec<(String, String)> {
        fn flatten(key: String, value: toml::Value, out: &mut Vec<(String, String)>) {
            match value {
                toml::Value::Table(table) => {
                    for (k, v) in table {
                        flatten(format!("{key}.{k}"), v, out);
                    }
                }
                toml::Value::String(s) => out.push((key, s)),
                other => out.push((key, other.to_string())),
            }
        }
        let mut out = Vec::new();
        for (key, value) in self.redacted_table() {
            flatten(key, value, &mut out);
        }
        out.sort();
        out
    }

    /// Every setting, typed and nested as configured, secrets redacted:
    /// keys named like secrets are `"***"`, URLs lose their password
    /// (`settings --json` prints this).
    ///
    /// ```
    /// let mut s = fastapp_core::Settings::default();
    /// s.database_url = "postgres://app:hunter2@db/app".into();
    /// let smtp: toml::Table = toml::from_str("port = 25\npassword = \"pw\"").unwrap();
    /// s.project.insert("smtp".into(), smtp.into());
    /// let shown = s.redacted_table();
    /// assert_eq!(shown["database_url"].as_str(), Some("postgres://app:***@db/app"));
    /// assert_eq!(shown["port"].as_integer(), Some(8000));
    /// assert_eq!(shown["smtp"]["port"].as_integer(), Some(25));
    /// assert_eq!(shown["smtp"]["password"].as_str(), Some("***"));
    /// ```
    pub fn redacted_table(&self) -> toml::Table {
        fn redact(key: &str, value: toml::Value) -> toml::Value {
            match value {
                _ if is_secret_key(key) => "***".into(),
                toml::Value::Table(table) => table
                    .into_iter()
                    .map(|(k, v)| {
                        let v = redact(&k, v);
                        (k, v)
                    })
                    .collect::<toml::Table>()
                    .into(),
                toml::Value::Array(items) => items
                    .into_iter()
                    .map(|v| redact("", v))
                    .collect::<Vec<_>>()
                    .into(),
                toml::Value::String(s) => redact_url(&s).into(),
                other => other,
            }
        }
        let mut out = toml::Table::new();
        for key in BUILT_IN {
            out.insert(key.to_string(), redact(key, self.value(key)));
        }
        for (key, value) in &self.project {
            out.insert(key.clone(), redact(key, value.clone()));
        }
        out
    }

    /// The path setting `key` (one of [`PATHS`]).
    fn path_mut(&mut self, key: &str) -> &mut String {
        match key {
            "openapi_path" => &mut self.openapi_path,
            "docs_path" => &mut self.docs_path,
            "health_path" => &mut self.health_path,
            "ready_path" => &mut self.ready_path,
            _ => &mut self.metrics_path,
        }
    }

    /// The database URL with any password replaced by `***`, for printing.
    ///
    /// ```
    /// let mut s = fastapp_core::Settings::default();
    /// s.database_url = "postgres://app:hunter2@db/app".into();
    /// assert_eq!(s.redacted_database_url(), "postgres://app:***@db/app");
    /// ```
    pub fn redacted_database_url(&self) -> String {
        redact_url(&self.database_url)
    }
}

/// The prefix of the environment variables that override a project's own
/// settings: `page_size` is `APP_PAGE_SIZE`. Without one, a key named like
/// an ordinary variable (`path`, `home`, `pwd`, `user`, `lang`) would take
/// that variable's value in every shell.
pub const PROJECT_ENV_PREFIX: &str = "APP_";

/// The environment variable (or `.env` name) that overrides setting `key`:
/// a built-in setting's well-known name (`DATABASE_URL`, `PORT`), a project
/// key's with [`PROJECT_ENV_PREFIX`].
///
/// ```
/// use fastapp_core::settings::env_name;
/// assert_eq!(env_name("database_url"), "DATABASE_URL");
/// assert_eq!(env_name("page_size"), "APP_PAGE_SIZE");
/// assert_eq!(env_name("path"), "APP_PATH");
///
/// // $PATH and $HOME leave project keys named so alone.
/// let config: toml::Table = toml::from_str("path = \"x\"\nhome = \"h\"").unwrap();
/// let env = |name: &str| match name {
///     "PATH" => Some("/usr/bin".to_string()),
///     "HOME" => Some("/root".to_string()),
///     "APP_HOME" => Some("over".to_string()),
///     _ => None,
/// };
/// let settings = fastapp_core::Settings::layered(&config, env).unwrap();
/// assert_eq!(settings.project["path"].as_str(), Some("x"));
/// assert_eq!(settings.project["home"].as_str(), Some("over"));
/// ```
pub fn env_name(key: &str) -> String {
    let upper = key.to_ascii_uppercase();
    if BUILT_IN.contains(&key) {
        upper
    } else {
        format!("{PROJECT_ENV_PREFIX}{upper}")
    }
}

/// An integer setting that must fit `T`; `settings.E020` otherwise.
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
fn load_dotenv(path: &std::path::Path) -> Result<std::collections::HashMap<String, String>, Error> {
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

static SETTINGS: OnceLock<Settings> = OnceLock::new();

/// The project's settings, once the project has started (the counterpart of
/// fastappkit's `get_settings()`); `None` before.
///
/// ```
/// // Outside a running project there are none yet.
/// assert!(fastapp_core::settings::get_settings().is_none());
/// ```
pub fn get_settings() -> Option<&'static Settings> {
    SETTINGS.get()
}

pub(crate) fn install(settings: Settings) -> &'static Settings {
    SETTINGS.get_or_init(|| settings)
}
