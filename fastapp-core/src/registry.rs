//! The link-time registry: what the macros record, collected with `linkme`.
//!
//! `#[internal_app]`, `#[external_app]` and `#[model]` each add a `static`
//! to a distributed slice; the slices are complete by the time `main` runs.
//! Nothing here is written by hand.

use crate::{AppContext, Router};

/// Where an app or model was declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// Source file, as `file!()` gives it.
    pub file: &'static str,
    /// Line of the attribute.
    pub line: u32,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// Internal apps live in the project's `src/apps/`; external apps are crates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppKind {
    /// A module of the project under `src/apps/<name>/`.
    Internal,
    /// A separate crate with its own schema and migrations.
    External,
}

/// What an app's `register` function returns, after [`IntoRegistration`].
pub type RegisterResult = Result<Option<Router>, Box<dyn std::error::Error + Send + Sync>>;

/// One app, as recorded by `#[internal_app]` or `#[external_app]`.
#[derive(Debug)]
pub struct AppEntry {
    /// The app's name: `[a-z][a-z0-9_]*`.
    pub name: &'static str,
    /// Internal or external.
    pub kind: AppKind,
    /// Prefix given in the attribute or the app's manifest; `None` means `/<name>`.
    pub default_prefix: Option<&'static str>,
    /// The app's `register` function.
    pub register: fn(&mut AppContext) -> RegisterResult,
    /// Other internal apps this app's code refers to (computed at compile time).
    pub depends_on: &'static [&'static str],
    /// Embedded migrations (external apps only; internal apps share core's).
    pub migrations: &'static [crate::migrate::Migration],
    /// The crate that declared the app (`CARGO_CRATE_NAME`).
    pub crate_name: &'static str,
    /// Where the attribute is.
    pub location: Location,
}

impl AppEntry {
    /// The prefix the app is mounted under when `fastapp.toml` does not override it.
    pub fn prefix(&self) -> String {
        match self.default_prefix {
            Some(prefix) => prefix.to_string(),
            None => format!("/{}", self.name),
        }
    }
}

/// One struct marked `#[model]`.
#[derive(Debug)]
pub struct ModelEntry {
    /// Table name in the crate's schema module.
    pub table: &'static str,
    /// The struct's name.
    pub type_name: &'static str,
    /// `module_path!()` of the struct.
    pub module_path: &'static str,
    /// The crate that declared it.
    pub crate_name: &'static str,
}

impl ModelEntry {
    /// The internal app a model belongs to, from its module path
    /// (`<crate>::apps::<app>::…`), if it is in one.
    pub fn internal_app(&self) -> Option<&'static str> {
        let mut parts = self.module_path.split("::").skip(1);
        match (parts.next(), parts.next()) {
            (Some("apps"), Some(app)) => Some(app),
            _ => None,
        }
    }
}

/// Return types allowed for `register`: `Option<Router>`, or a `Result` of it.
pub trait IntoRegistration {
    /// Normalises the value into a [`RegisterResult`].
    fn into_registration(self) -> RegisterResult;
}

impl IntoRegistration for Option<Router> {
    fn into_registration(self) -> RegisterResult {
        Ok(self)
    }
}

impl IntoRegistration for Router {
    fn into_registration(self) -> RegisterResult {
        Ok(Some(self))
    }
}

impl<E> IntoRegistration for Result<Option<Router>, E>
where
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    fn into_registration(self) -> RegisterResult {
        self.map_err(Into::into)
    }
}

#[doc(hidden)]
#[linkme::distributed_slice]
pub static APPS: [AppEntry];

#[doc(hidden)]
#[linkme::distributed_slice]
pub static MODELS: [ModelEntry];

/// Every app linked into this binary, in no particular order.
///
/// ```
/// for app in fastapp_core::registry::apps() {
///     println!("{} ({:?}) at {}", app.name, app.kind, app.location);
/// }
/// ```
pub fn apps() -> &'static [AppEntry] {
    &APPS
}

/// Every `#[model]` linked into this binary.
///
/// ```
/// let tables: Vec<&str> = fastapp_core::registry::models().iter().map(|m| m.table).collect();
/// # let _ = tables;
/// ```
pub fn models() -> &'static [ModelEntry] {
    &MODELS
}
