//! The link-time registry: what the macros record, collected with `linkme`.
//!
//! `#[internal_app]`, `#[external_app]` and `#[model]` each add a `static`
//! to a distributed slice; the slices are complete by the time `main` runs.
//! Nothing here is written by hand in a project (examples in these docs
//! write entries out, to show what the macros record).

use crate::{AppContext, Router};

/// Where an app or model was declared.
///
/// ```
/// let at = fastapp_core::registry::Location { file: "src/apps/blog/mod.rs", line: 3 };
/// assert_eq!(at.to_string(), "src/apps/blog/mod.rs:3");
/// ```
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
///
/// ```
/// # use fastapp_core::registry::{AppEntry, Location};
/// # // What `#[internal_app]` records for `src/apps/blog/`.
/// # #[fastapp_core::__private::linkme::distributed_slice(fastapp_core::__private::APPS)]
/// # #[linkme(crate = fastapp_core::__private::linkme)]
/// # static BLOG: AppEntry = AppEntry {
/// #     name: "blog", kind: AppKind::Internal, default_prefix: None, register: |_| Ok(None),
/// #     depends_on: &[], migrations: &[], crate_name: "demo", location: Location { file: "src/apps/blog/mod.rs", line: 1 },
/// # };
/// use fastapp_core::registry::{apps, AppKind};
/// let internal: Vec<&str> = apps().iter().filter(|app| app.kind == AppKind::Internal).map(|app| app.name).collect();
/// assert_eq!(internal, ["blog"]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppKind {
    /// A module of the project under `src/apps/<name>/`.
    Internal,
    /// A separate crate with its own schema and migrations.
    External,
}

/// What an app's `register` function returns, after [`IntoRegistration`].
///
/// ```
/// use fastapp_core::registry::{IntoRegistration, RegisterResult};
/// let failed: RegisterResult = Err::<Option<fastapp_core::Router>, _>("no API key").into_registration();
/// assert_eq!(failed.unwrap_err().to_string(), "no API key");
/// ```
pub type RegisterResult = Result<Option<Router>, Box<dyn std::error::Error + Send + Sync>>;

/// One app, as recorded by `#[internal_app]` or `#[external_app]`.
///
/// ```
/// use fastapp_core::registry::{AppEntry, AppKind, Location};
/// // What `#[external_app]` records for crate `news` (written out by hand).
/// static NEWS: AppEntry = AppEntry {
///     name: "news", kind: AppKind::External, default_prefix: None, register: |_| Ok(None),
///     depends_on: &[], migrations: &[], crate_name: "news", location: Location { file: "news/src/lib.rs", line: 1 },
/// };
/// assert_eq!(NEWS.prefix(), "/news");
/// ```
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
    /// The prefix the app is mounted under when `fastapp.toml` does not
    /// override it: the attribute's or manifest's, else `/<name>`.
    ///
    /// ```
    /// use fastapp_core::registry::{AppEntry, AppKind, Location};
    /// let entry = |default_prefix| AppEntry {
    ///     name: "blog", kind: AppKind::Internal, default_prefix, register: |_| Ok(None),
    ///     depends_on: &[], migrations: &[], crate_name: "demo", location: Location { file: "src/apps/blog/mod.rs", line: 1 },
    /// };
    /// assert_eq!(entry(None).prefix(), "/blog");
    /// assert_eq!(entry(Some("")).prefix(), "");
    /// ```
    pub fn prefix(&self) -> String {
        match self.default_prefix {
            Some(prefix) => prefix.to_string(),
            None => format!("/{}", self.name),
        }
    }
}

/// One struct marked `#[model]`.
///
/// ```
/// use fastapp_core::registry::{Location, ModelEntry};
/// let user = ModelEntry {
///     table: "users", columns: &["id", "username"], type_name: "User",
///     module_path: "demo::apps::accounts::models", crate_name: "demo",
///     location: Location { file: "src/apps/accounts/models.rs", line: 4 },
/// };
/// assert_eq!(user.internal_app(), Some("accounts"));
/// ```
#[derive(Debug)]
pub struct ModelEntry {
    /// Table name in the crate's schema module.
    pub table: &'static str,
    /// The SQL names of the columns the model reads and writes, in field
    /// order; empty when the macro cannot tell (a field that `embed`s
    /// another model or selects an expression).
    pub columns: &'static [&'static str],
    /// The struct's name.
    pub type_name: &'static str,
    /// `module_path!()` of the struct.
    pub module_path: &'static str,
    /// The crate that declared it.
    pub crate_name: &'static str,
    /// Where the `#[model]` attribute is.
    pub location: Location,
}

impl ModelEntry {
    /// The internal app a model belongs to, from its module path
    /// (`<crate>::apps::<app>::…`), if it is in one.
    ///
    /// ```
    /// use fastapp_core::registry::{Location, ModelEntry};
    /// let shared = ModelEntry {
    ///     table: "sessions", columns: &[], type_name: "Session", module_path: "demo::core::models",
    ///     crate_name: "demo", location: Location { file: "src/core/models.rs", line: 1 },
    /// };
    /// assert_eq!(shared.internal_app(), None);
    /// ```
    pub fn internal_app(&self) -> Option<&'static str> {
        let mut parts = self.module_path.split("::").skip(1);
        match (parts.next(), parts.next()) {
            (Some("apps"), Some(app)) => Some(app),
            _ => None,
        }
    }
}

/// Return types allowed for `register`: `Option<Router>`, a `Router`, or a
/// `Result` of an `Option<Router>` (its error fails start-up with `app.E011`).
///
/// ```
/// use fastapp_core::{registry::IntoRegistration, Router};
/// assert!(matches!(Router::new().into_registration(), Ok(Some(_))));
/// assert!(matches!(None::<Router>.into_registration(), Ok(None)));
/// assert!(Err::<Option<Router>, _>(std::io::Error::other("down")).into_registration().is_err());
/// ```
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
