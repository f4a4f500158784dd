//! Typed settings, layered: defaults < `fastapp.toml [settings]` < `.env` <
//! environment.

use std::sync::OnceLock;

use crate::Error;

/// The settings every fastapp project has.
///
/// ```
/// let settings = fastapp_core::Settings::default();
/// assert_eq!(settings.port, 8000);
/// assert_eq!(settings.host, "127.0.0.1");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// `DATABASE_URL`: a SQLite file path (default) or a `postgres://` URL.
    pub database_url: String,
    /// `DEBUG`: verbose logging and error details.
    pub debug: bool,
    /// `HOST`: address to serve on.
    pub host: String,
    /// `PORT`: port to serve on (`0` picks a free one).
    pub port: u16,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database_url: "fastapp.db".into(),
            debug: false,
            host: "127.0.0.1".into(),
            port: 8000,
        }
    }
}

impl Settings {
    /// Layers `[settings]` of `fastapp.toml`, then `.env` (when present in
    /// the working directory), then the environment over the defaults.
    pub fn load(config: &toml::Table) -> Result<Settings, Error> {
        let _ = dotenvy::dotenv();
        let mut settings = Settings::default();
        let from_file = "fastapp.toml [settings]";
        for (key, value) in config {
            let wrong = |expected: &str| Error::Setting {
                key: key.clone(),
                source_name: from_file.into(),
                message: format!("expected {expected}, found a {}", value.type_str()),
                fix: format!("write `{key} = <{expected}>` in [settings]"),
            };
            match key.as_str() {
                "database_url" => {
                    settings.database_url = value.as_str().ok_or_else(|| wrong("a string"))?.into()
                }
                "debug" => settings.debug = value.as_bool().ok_or_else(|| wrong("a boolean"))?,
                "host" => settings.host = value.as_str().ok_or_else(|| wrong("a string"))?.into(),
                "port" => {
                    settings.port = value
                        .as_integer()
                        .and_then(|p| u16::try_from(p).ok())
                        .ok_or_else(|| wrong("a port number"))?
                }
                // Project settings: read by the project's own settings type.
                _ => {}
            }
        }
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        if let Some(url) = env("DATABASE_URL") {
            settings.database_url = url;
        }
        if let Some(host) = env("HOST") {
            settings.host = host;
        }
        if let Some(port) = env("PORT") {
            settings.port = port.parse().map_err(|_| Error::Setting {
                key: "port".into(),
                source_name: "environment variable PORT".into(),
                message: format!("`{port}` is not a port number"),
                fix: "set PORT to a number between 0 and 65535".into(),
            })?;
        }
        if let Some(debug) = env("DEBUG") {
            settings.debug = matches!(debug.to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on");
        }
        Ok(settings)
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

/// `scheme://user:secret@host` → `scheme://user:***@host`.
pub(crate) fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let Some((credentials, host)) = rest.rsplit_once('@') else {
        return url.to_string();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
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
