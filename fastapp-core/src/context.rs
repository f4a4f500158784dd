//! What an app's `register` function is given.

use crate::{AppState, Router, Settings};

/// The app's view of the project while it registers.
///
/// Return `Some(router)` from `register` to be mounted under the app's
/// prefix; or mount yourself with [`AppContext::nest`] / [`AppContext::merge`]
/// and return `None`.
///
/// ```
/// use axum::routing::get;
/// use fastapp_core::{AppContext, Router};
///
/// pub fn register(ctx: &mut AppContext) -> Option<Router> {
///     ctx.merge(Router::new().route("/healthz", get(|| async { "ok" })));
///     None
/// }
/// # let _ = register;
/// ```
pub struct AppContext {
    pub(crate) app: &'static str,
    pub(crate) prefix: String,
    pub(crate) state: AppState,
    pub(crate) mounted: Router,
}

impl AppContext {
    /// The app's name.
    pub fn app_name(&self) -> &str {
        self.app
    }

    /// The prefix the app's router is nested under (`""` = root).
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The project's settings.
    pub fn settings(&self) -> &Settings {
        self.state.settings()
    }

    /// The shared state (settings and database pool).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Mounts `router` under `path` yourself (for `register` returning `None`).
    pub fn nest(&mut self, path: &str, router: Router) {
        let mounted = std::mem::take(&mut self.mounted);
        self.mounted = mounted.nest(path, router);
    }

    /// Merges `router` at the root yourself (for `register` returning `None`).
    pub fn merge(&mut self, router: Router) {
        let mounted = std::mem::take(&mut self.mounted);
        self.mounted = mounted.merge(router);
    }
}
