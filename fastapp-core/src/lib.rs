//! # fastapp
//!
//! Django-style apps for [axum] + [diesel] projects. A project is split into
//! feature apps; fastapp discovers them at link time, mounts their routers,
//! runs their migrations in order, and enforces the boundaries between apps
//! **at compile time**.
//!
//! - [`internal_app`] — an app of the project under `src/apps/<name>/`;
//! - [`external_app`] — a publishable app crate with its own schema and migrations;
//! - [`model`] — a diesel model pinned to its crate's schema module;
//! - [`project!`] — the project's entry point; then call [`cli::main`];
//! - [`link!`] — the link package that links the external apps into the binary.
//!
//! What a project reaches for, by task:
//!
//! | to … | use |
//! |---|---|
//! | write an app's routes and start-up | [`AppContext`], [`Router`], [`AppState`], [`Db`], [`ApiError`] |
//! | read settings, its own and fastapp's | [`Settings`], [`settings`], [`Secret`] |
//! | open the database yourself | [`db`] |
//! | run and inspect migrations from code | [`migrate`] |
//! | the project binary's commands (`serve`, `migrate`, `check`, …) | [`cli::main`] |
//! | the rules `check` runs, and their findings | [`check`], [`Finding`], [`config::rules`] |
//! | the OpenAPI document | [`openapi`] |
//! | the apps and models linked into the binary | [`registry`] |
//! | test an app against a fresh database (feature `testing`) | `testing` |
//!
//! ```ignore
//! // src/main.rs of a project (see example-project/ for the whole of one)
//! fastapp_core::project!();
//!
//! fn main() -> std::process::ExitCode {
//!     fastapp_core::cli::main(&PROJECT)
//! }
//! ```

#![warn(missing_docs)]

mod api_error;
pub mod check;
pub mod cli;
pub mod config;
mod context;
mod database_url;
pub mod db;
mod error;
#[cfg(test)]
mod fixtures;
pub(crate) mod graph;
mod health;
mod http;
pub(crate) mod loader;
mod metrics;
pub mod migrate;
pub mod openapi;
mod panics;
mod project;
pub mod registry;
pub(crate) mod routes;
mod secrets;
pub mod settings;
mod state;
#[cfg(feature = "testing")]
pub mod testing;

pub use api_error::ApiError;
pub use context::AppContext;
pub use error::{Error, Finding};
pub use project::Project;
pub use settings::{Secret, Settings};
pub use state::{AppState, Db, Ext};

pub use axum;

/// The router type apps return: an axum router over fastapp's [`AppState`].
///
/// ```
/// use axum::{extract::State, routing::get};
/// use fastapp_core::{AppState, Router};
///
/// async fn port(State(state): State<AppState>) -> String {
///     state.settings().port.to_string()
/// }
/// let router: Router = Router::new().route("/port", get(port));
/// # let _ = router;
/// ```
pub type Router = axum::Router<AppState>;

/// Marks an internal app's `register` function (in `src/apps/<name>/mod.rs`).
///
/// Registers the app (name from its directory, optional `prefix = "/..."`)
/// and checks, at compile time, every file of the app's module tree: a path
/// into an external app crate listed in `fastapp.toml` (`isolation.E001`) or
/// a `table!` of the app's own (`isolation.E002`) fails the build with the
/// file, line, rule and fix. References to other internal apps are recorded
/// as the app's dependencies.
///
/// ```ignore
/// use fastapp_core::{AppContext, Router};
///
/// #[fastapp_core::internal_app]
/// pub fn register(ctx: &mut AppContext) -> Option<Router> {
///     Some(Router::new())
/// }
/// ```
pub use fastapp_macros::internal_app;

/// Marks an external app crate's `register` function, at its crate root.
///
/// Name and prefix come from `[package.metadata.fastapp]` of the crate's
/// `Cargo.toml` (or the arguments); the crate's `migrations/` directory is
/// embedded and tracked in `__fastapp_migrations_<name>`.
///
/// ```ignore
/// #[fastapp_core::external_app]
/// pub fn register(ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
///     Some(fastapp_core::Router::new())
/// }
/// ```
pub use fastapp_macros::external_app;

/// Derives diesel's `Queryable`, `Selectable` and `Insertable` for a struct
/// whose table is declared by its crate's schema module (`diesel.toml`'s
/// `[print_schema] file`). A table outside that module (`model.E003`) or not
/// declared by it (`model.E004`, with a "did you mean") fails the build.
///
/// ```ignore
/// #[fastapp_core::model(table = posts)]
/// pub struct Post { pub id: i32, pub title: String }
/// ```
pub use fastapp_macros::model;

/// The project's entry point, at the crate root of `main.rs`: bakes
/// `fastapp.toml` and the shared migrations into a `PROJECT` static and links
/// every external app listed in `fastapp.toml` through the project's link
/// package (`<project>-link`, see [`link!`]). The project package itself must
/// not depend on an external app (`link.E026`); listing one without a link
/// package is `link.E027`.
///
/// ```ignore
/// fastapp_core::project!();
/// fn main() -> std::process::ExitCode { fastapp_core::cli::main(&PROJECT) }
/// ```
pub use fastapp_macros::project;

/// The whole `src/lib.rs` of a project's link package (`link/`, package
/// `<project>-link`): the one package that depends on the external apps
/// listed in `fastapp.toml`. The project package depends on it and on no
/// external app, so no code of core or of an internal app can name an
/// external app, however it is written: rustc cannot resolve the crate.
/// A listed app that is not a dependency of the link package is `link.E005`.
///
/// ```toml
/// # link/Cargo.toml
/// [package]
/// name = "mysite-link"
/// [dependencies]
/// fastapp-core = "0.1"
/// newsletter = { path = "../newsletter" }
/// ```
///
/// ```ignore
/// // link/src/lib.rs
/// fastapp_core::link!();
/// ```
pub use fastapp_macros::link;

/// `true` if `name` is a valid app name: `[a-z][a-z0-9_]*` (the rule lives
/// in `fastapp-config`, shared with the macros and `cargo fastapp`).
///
/// ```
/// assert!(fastapp_core::is_app_name("blog_posts2"));
/// assert!(!fastapp_core::is_app_name("Blog"));
/// ```
pub use fastapp_config::is_app_name;

#[doc(hidden)]
pub mod __private {
    pub use crate::registry::{APPS, MODELS};
    pub use linkme;
}
