//! Start-up: resolve the apps `fastapp.toml` lists against the registry,
//! check the rules that need no database, call every `register` in order and
//! mount what it returns — detecting route collisions before axum sees them.
//!
//! One room per job: [`resolve`] (which apps, in what order,
//! and the rules about them), declared dependencies (`uses`), model
//! ownership, migration sets, and
//! mounting ([`mount`]), each app's registration and hooks, and route
//! collisions.

mod app;
mod collisions;
mod mount;
mod ownership;
mod registration;
mod resolve;
mod sets;
mod uses;

pub use app::ResolvedApp;
pub use mount::{mount, Mounted};
pub(crate) use ownership::{owned_models, OwnedModel};
pub use resolve::{resolve, resolve_all, Resolved};
pub use sets::migration_sets;
// What only the test kit (and the crate's tests) use.
#[cfg(any(test, feature = "testing"))]
pub use resolve::with_dependencies;
#[cfg(any(test, feature = "testing"))]
pub use sets::migration_sets_of;
