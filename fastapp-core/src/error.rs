//! fastapp's run-time error type.

/// Everything that can go wrong between `main` and the first request.
///
/// Every variant's message says what is wrong, where, and how to fix it.
///
/// ```
/// let err = fastapp_core::Error::UnknownApp {
///     app: "apps.shop".into(),
///     config: "fastapp.toml".into(),
///     linked: "accounts, blog".into(),
/// };
/// assert!(err.to_string().contains("apps.shop"));
/// ```
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `fastapp.toml` could not be parsed.
    #[error("[config.E000] invalid fastapp.toml at {location}: {message}\n  = fix: correct the key or value at that position (see the README's config reference)")]
    Config {
        /// `file:line:column`.
        location: String,
        /// What the parser said.
        message: String,
    },
    /// A listed app is not linked into the binary.
    #[error("[app.E010] app `{app}` is listed in {config} but no such app is linked into this binary (linked apps: {linked})\n  = fix: for an internal app, add `#[fastapp_core::internal_app]` to `register` in src/apps/<name>/mod.rs and declare the module; for an external app, add the crate to [dependencies]; or remove it from `apps`")]
    UnknownApp {
        /// The entry of `apps`.
        app: String,
        /// The config file.
        config: String,
        /// Names of the apps that are linked.
        linked: String,
    },
    /// An app's `register` function failed.
    #[error("[app.E011] app `{app}` failed to register ({location}): {source}\n  = fix: see the app's error above; the app is declared at {location}")]
    Register {
        /// The app.
        app: String,
        /// Where the app is declared.
        location: String,
        /// The app's error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A setting has a value of the wrong type.
    #[error("[settings.E020] setting `{key}` from {source_name}: {message}\n  = fix: {fix}")]
    Setting {
        /// The setting.
        key: String,
        /// Where the value came from (`fastapp.toml [settings]`, `environment`).
        source_name: String,
        /// What is wrong.
        message: String,
        /// How to fix it.
        fix: String,
    },
    /// The database could not be reached.
    #[error("[db.E030] cannot open database {url}: {message}\n  = fix: check DATABASE_URL (or `database_url` in fastapp.toml [settings])")]
    Database {
        /// The redacted URL.
        url: String,
        /// The driver's message.
        message: String,
    },
    /// A migration failed; the ones before it stay applied.
    #[error("[migration.E040] migration {version} of `{app}` failed: {message}\n  = fix: correct the migration's SQL; it was rolled back{rolled_back_note}, earlier migrations stay applied; then run `migrate` again")]
    Migration {
        /// The app (`core` for the shared migrations).
        app: String,
        /// The migration's directory name.
        version: String,
        /// The database's message.
        message: String,
        /// Extra note when the migration ran outside a transaction.
        rolled_back_note: String,
    },
    /// An I/O error (binding the port, reading a file).
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The error.
        source: std::io::Error,
    },
}
