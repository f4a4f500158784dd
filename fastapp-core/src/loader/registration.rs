//! Registration: each app's `register` called with its context, what it
//! returns (its routers, hooks, readiness checks and OpenAPI part), and how
//! the hooks run.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use axum::http::Extensions;

use super::app::ResolvedApp;
use crate::context::{Hook, HookFn};
use crate::db::DbPool;
use crate::error::BoxError;
use crate::openapi::OpenApi;
use crate::routes::{self, Route};
use crate::{AppContext, AppState, Finding, Router, Settings};

/// Reads one router's routes (tests give one that fails).
pub(super) type Reader = fn(&Router) -> Result<Vec<Route>, String>;

/// What one app's registration produced: its routers and hooks.
pub(super) struct Registered {
    pub(super) routers: AppRouters,
    pub(super) startup: Vec<Hook>,
    pub(super) shutdown: Vec<Hook>,
    pub(super) readiness: Vec<crate::health::Check>,
    pub(super) document: Option<OpenApi>,
}

/// An app's routers, before they are mounted.
#[derive(Clone)]
pub(super) struct AppRouters {
    /// The app's prefix (`""` = the root).
    pub(super) prefix: String,
    /// The router `register` returned, to go under the prefix.
    pub(super) returned: Option<Router>,
    /// What the app mounted itself ([`AppContext::nest`] / [`AppContext::merge`]).
    pub(super) outside: Option<Router>,
}

impl AppRouters {
    /// The app's routes, its returned router's under its prefix (where
    /// axum's `nest` puts them), sorted by path then method.
    pub(super) fn read(&self, read: Reader) -> Result<Vec<Route>, String> {
        let mut found = Vec::new();
        if let Some(returned) = &self.returned {
            found.extend(read(returned)?.into_iter().map(|route| Route {
                path: routes::nested_path(&self.prefix, &route.path),
                method: route.method,
            }));
        }
        if let Some(outside) = &self.outside {
            found.extend(read(outside)?);
        }
        found.sort_by(|a, b| (&a.path, &a.method).cmp(&(&b.path, &b.method)));
        Ok(found)
    }

    /// `router` with the app's routers mounted where they go (axum
    /// panics on a clash).
    pub(super) fn attach(self, mut router: Router) -> Router {
        if let Some(outside) = self.outside {
            router = router.merge(outside);
        }
        match self.returned {
            Some(returned) if self.prefix.is_empty() => router.merge(returned),
            Some(returned) => router.nest(&self.prefix, returned),
            None => router,
        }
    }
}

/// Calls `app`'s `register` with a context; `app.E011` when it fails or
/// panics. The typed extensions pass from app to app through `extensions`.
pub(super) fn register(
    app: &ResolvedApp,
    settings: &Arc<Settings>,
    pool: &DbPool,
    extensions: &mut Extensions,
) -> Result<Registered, Box<Finding>> {
    let name = app.entry.name;
    let failed = |message: String| Box::new(register_failed(app, message));
    let mut ctx = AppContext {
        app: name,
        prefix: app.prefix.clone(),
        settings: settings.clone(),
        pool: pool.clone(),
        extensions: std::mem::take(extensions),
        mounted: None,
        startup: Vec::new(),
        shutdown: Vec::new(),
        readiness: Vec::new(),
        document: None,
    };
    let returned = crate::panics::quietly(|| (app.entry.register)(&mut ctx));
    *extensions = std::mem::take(&mut ctx.extensions);
    let returned = match returned {
        Ok(Ok(returned)) => returned,
        Ok(Err(err)) => return Err(failed(err.to_string())),
        Err(panic) => {
            return Err(failed(format!(
                "it panicked: {}",
                crate::panics::message(&*panic)
            )))
        }
    };
    Ok(Registered {
        routers: AppRouters {
            prefix: app.prefix.clone(),
            returned,
            outside: ctx.mounted,
        },
        startup: ctx.startup,
        shutdown: ctx.shutdown,
        readiness: ctx.readiness,
        document: ctx.document,
    })
}

/// `app.E011`: `app`'s registration failed, for `message`.
pub(super) fn register_failed(app: &ResolvedApp, message: String) -> Finding {
    let name = app.entry.name;
    Finding::new(
        "app.E011",
        format!("app `{name}` failed to register: {message}"),
        format!("fix the app's register function at {}", app.entry.location),
    )
    .app(name)
    .location(app.entry.location.to_string())
}

/// Runs one hook where it is awaited, a panic in it (while the hook builds
/// its future, or while it runs) caught as its error, "panicked: …", not
/// the end of the process.
pub(super) async fn run_hook(run: HookFn, state: AppState) -> Result<(), BoxError> {
    use futures_util::FutureExt;
    let panicked = |panic: Box<dyn std::any::Any + Send>| -> BoxError {
        format!("panicked: {}", crate::panics::message(&*panic)).into()
    };
    let future = std::panic::catch_unwind(AssertUnwindSafe(move || run(state))).map_err(panicked)?;
    AssertUnwindSafe(future).catch_unwind().await.map_err(panicked)?
}
