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

mod layers;

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
    /// request; the connection is closed after (a slowloris): at the limit
    /// for a first head, within twice it for a later one. An idle
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
