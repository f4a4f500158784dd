//! What an app's `register` function is given.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::http::Extensions;

use crate::db::DbPool;
use crate::{AppState, Router, Settings};

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type HookFn = Box<dyn FnOnce(AppState) -> Pin<Box<dyn Future<Output = Result<(), BoxError>> + Send>> + Send>;

/// A start-up or shutdown hook of an app.
pub(crate) struct Hook {
    pub app: &'static str,
    /// Where the app's `register` is (filled in by the loader), for errors.
    pub at: String,
    pub run: HookFn,
}

impl Hook {
    fn new<F, Fut>(app: &'static str, hook: F) -> Hook
    where
        F: FnOnce(AppState) -> Fut + Send + 'static,
        Fut: Future<Output = Result<(), BoxError>> + Send + 'static,
    {
        Hook {
            app,
            at: String::new(),
            run: Box::new(move |state| Box::pin(hook(state))),
        }
    }
}

/// The app's view of the project while it registers.
///
/// Return `Some(router)` from `register` to be mounted under the app's
/// prefix; or mount yourself with [`AppContext::nest`] / [`AppContext::merge`]
/// and return `None`. Values stored with [`AppContext::insert`] reach handlers
/// through [`Ext`](crate::Ext); hooks run after migrations (start-up, in app
/// order) and after the last request (shutdown, in reverse order).
///
/// ```
/// use axum::routing::get;
/// use fastapp_core::{AppContext, Router};
///
/// pub fn register(ctx: &mut AppContext) -> Option<Router> {
///     ctx.merge(Router::new().route("/healthz", get(|| async { "ok" })));
///     ctx.on_startup(|state| async move {
///         tracing::info!(db = %state.settings().redacted_database_url(), "ready");
///         Ok(())
///     });
///     None
/// }
/// # let _ = register;
/// ```
pub struct AppContext {
    pub(crate) app: &'static str,
    pub(crate) prefix: String,
    pub(crate) settings: Arc<Settings>,
    pub(crate) pool: DbPool,
    pub(crate) extensions: Extensions,
    /// What the app mounted itself, outside its prefix.
    pub(crate) mounted: Option<Router>,
    pub(crate) startup: Vec<Hook>,
    pub(crate) shutdown: Vec<Hook>,
    pub(crate) document: Option<utoipa::openapi::OpenApi>,
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
        &self.settings
    }

    /// The database pool.
    pub fn pool(&self) -> &DbPool {
        &self.pool
    }

    /// Stores a typed value for handlers ([`Ext<T>`](crate::Ext)). There is
    /// one value per type for the whole project: a later app storing the
    /// same type replaces it, so give shared types a newtype of your app's.
    pub fn insert<T: Clone + Send + Sync + 'static>(&mut self, value: T) {
        self.extensions.insert(value);
    }

    /// Mounts `router` under `path` yourself (for `register` returning `None`).
    pub fn nest(&mut self, path: &str, router: Router) {
        self.mounted = Some(self.mounted.take().unwrap_or_default().nest(path, router));
    }

    /// Merges `router` at the root yourself (for `register` returning `None`).
    pub fn merge(&mut self, router: Router) {
        self.mounted = Some(self.mounted.take().unwrap_or_default().merge(router));
    }

    /// Describes the app's routes in OpenAPI, with paths as the app's own
    /// router has them (`/posts/{id}`), i.e. relative to the app's prefix.
    /// (Routes an app mounts outside its prefix with [`AppContext::nest`] /
    /// [`AppContext::merge`] cannot be described yet: their paths would be
    /// put under the prefix too.) fastapp puts them under the app's prefix, tags each operation with the app's name and merges every
    /// app's part into one document (served at `openapi_path`, shown at
    /// `docs_path`, printed by the `openapi` command). Calling it again adds
    /// to the app's part.
    ///
    /// With utoipa-axum, the router and its description come from one place:
    ///
    /// ```ignore
    /// let (router, api) = utoipa_axum::router::OpenApiRouter::new()
    ///     .routes(utoipa_axum::routes!(handlers::list_posts, handlers::create_post))
    ///     .split_for_parts();
    /// ctx.document(api);
    /// Some(router)
    /// ```
    ///
    /// Any [`OpenApi`](utoipa::openapi::OpenApi) works, e.g. one built by hand:
    ///
    /// ```
    /// use fastapp_core::{AppContext, Router};
    /// use utoipa::openapi::{path::{HttpMethod, OperationBuilder}, OpenApiBuilder, PathItem, PathsBuilder};
    ///
    /// pub fn register(ctx: &mut AppContext) -> Option<Router> {
    ///     let get = OperationBuilder::new().summary(Some("Liveness probe")).build();
    ///     ctx.document(
    ///         OpenApiBuilder::new()
    ///             .paths(PathsBuilder::new().path("/healthz", PathItem::new(HttpMethod::Get, get)))
    ///             .build(),
    ///     );
    ///     Some(Router::new().route("/healthz", axum::routing::get(|| async { "ok" })))
    /// }
    /// # let _ = register;
    /// ```
    pub fn document(&mut self, api: utoipa::openapi::OpenApi) {
        match &mut self.document {
            Some(document) => document.merge(api),
            None => self.document = Some(api),
        }
    }

    /// Runs `hook` once at start-up, after migrations, before the first request.
    pub fn on_startup<F, Fut>(&mut self, hook: F)
    where
        F: FnOnce(AppState) -> Fut + Send + 'static,
        Fut: Future<Output = Result<(), BoxError>> + Send + 'static,
    {
        let hook = Hook::new(self.app, hook);
        self.startup.push(hook);
    }

    /// Runs `hook` once at shutdown, after in-flight requests have finished.
    pub fn on_shutdown<F, Fut>(&mut self, hook: F)
    where
        F: FnOnce(AppState) -> Fut + Send + 'static,
        Fut: Future<Output = Result<(), BoxError>> + Send + 'static,
    {
        let hook = Hook::new(self.app, hook);
        self.shutdown.push(hook);
    }
}
