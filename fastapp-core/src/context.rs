//! What an app's `register` function is given.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::http::Extensions;

use crate::db::DbPool;
use crate::error::BoxError;
use crate::{AppState, Router, Settings};
pub(crate) type HookFn =
    Box<dyn FnOnce(AppState) -> Pin<Box<dyn Future<Output = Result<(), BoxError>> + Send>> + Send>;

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
///     ctx.merge(Router::new().route("/ping", get(|| async { "pong" })));
///     ctx.on_startup(|state| async move {
///         tracing::info!(db = %state.settings().redacted_database_url(), "ready");
///         Ok(())
///     });
///     None
/// }
/// # let _ = register;
/// ```
///
/// An app's `register` at work:
///
/// ```
/// use axum::routing::get;
/// use fastapp_core::{AppContext, Ext, Router};
///
/// #[derive(Clone)]
/// struct Greeting(&'static str);
///
/// fn register(ctx: &mut AppContext) -> Option<Router> {
///     ctx.insert(Greeting("hello")); // for handlers: Ext<Greeting>
///     let hello = get(|Ext(Greeting(text)): Ext<Greeting>| async move { text });
///     ctx.nest("/feeds", Router::new().route("/hello", hello)); // outside the prefix
///     ctx.merge(Router::new().route("/ping", get(|| async { "pong" }))); // at the root
///     ctx.on_startup(|_state| async { Ok(()) }); // after migrations
///     ctx.on_shutdown(|_state| async { Ok(()) }); // after the last request
///     None // it mounted itself; `Some(router)` would be nested under the app's prefix
/// }
/// # let _: fn(&mut AppContext) -> Option<Router> = register;
/// ```
///
/// The test kit (`fastapp_core::testing::TestApp`, feature `testing`)
/// mounts apps and sends them requests in-process.
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
    pub(crate) readiness: Vec<crate::health::Check>,
    pub(crate) document: Option<utoipa::openapi::OpenApi>,
}

impl AppContext {
    /// The app's name. (Every method is at work in this module's `examples` test.)
    pub fn app_name(&self) -> &str {
        self.app
    }

    /// The prefix the app's router is nested under (`""` = root). (Every method is at work in this module's `examples` test.)
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The project's settings. (Every method is at work in this module's `examples` test.)
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The database pool. (Every method is at work in this module's `examples` test.)
    pub fn pool(&self) -> &DbPool {
        &self.pool
    }

    /// Stores a typed value for handlers ([`Ext<T>`](crate::Ext)). There is
    /// one value per type for the whole project: a later app storing the
    /// same type replaces it, so give shared types a newtype of your app's.
    /// (See the example on [`AppContext`].)
    pub fn insert<T: Clone + Send + Sync + 'static>(&mut self, value: T) {
        self.extensions.insert(value);
    }

    /// Mounts `router` under `path` yourself (for `register` returning
    /// `None`). axum's rules for `path` apply: a `path` it refuses (`/`, say)
    /// makes `register` fail with `app.E011`. (See the example on
    /// [`AppContext`].)
    pub fn nest(&mut self, path: &str, router: Router) {
        self.mounted = Some(self.mounted.take().unwrap_or_default().nest(path, router));
    }

    /// Merges `router` at the root yourself (for `register` returning
    /// `None`). (See the example on [`AppContext`].)
    pub fn merge(&mut self, router: Router) {
        self.mounted = Some(self.mounted.take().unwrap_or_default().merge(router));
    }

    /// Describes the app's routes in OpenAPI, with paths as the app's own
    /// router has them (`/posts/{id}`), i.e. relative to the app's prefix.
    /// (Routes an app mounts outside its prefix with [`AppContext::nest`] /
    /// [`AppContext::merge`] cannot be described yet: their paths would be
    /// put under the prefix too.) fastapp puts them under the app's prefix,
    /// tags each operation with the app's name and merges every app's part
    /// into one document (served at `openapi_path`, shown at
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
    ///     let get = OperationBuilder::new().summary(Some("Ping")).build();
    ///     ctx.document(
    ///         OpenApiBuilder::new()
    ///             .paths(PathsBuilder::new().path("/ping", PathItem::new(HttpMethod::Get, get)))
    ///             .build(),
    ///     );
    ///     Some(Router::new().route("/ping", axum::routing::get(|| async { "ok" })))
    /// }
    /// # let _ = register;
    /// ```
    pub fn document(&mut self, api: utoipa::openapi::OpenApi) {
        match &mut self.document {
            Some(document) => document.merge(api),
            None => self.document = Some(api),
        }
    }

    /// Runs `hook` once at start-up, after migrations, before the first
    /// request; an error stops start-up with `app.E023`. (See the example on
    /// [`AppContext`].)
    pub fn on_startup<F, Fut>(&mut self, hook: F)
    where
        F: FnOnce(AppState) -> Fut + Send + 'static,
        Fut: Future<Output = Result<(), BoxError>> + Send + 'static,
    {
        let hook = Hook::new(self.app, hook);
        self.startup.push(hook);
    }

    /// Adds a readiness check: `ready_path` (`/readyz`) answers 503 while
    /// `check` fails or takes longer than a second, naming this app and
    /// `name` with the error. It runs on every readiness request (a load
    /// balancer's health check), so keep it cheap: a ping, not a query
    /// over a table.
    ///
    /// ```
    /// use std::sync::atomic::{AtomicBool, Ordering};
    /// use std::sync::Arc;
    /// use fastapp_core::{AppContext, Router};
    ///
    /// static CACHE_UP: AtomicBool = AtomicBool::new(true);
    ///
    /// pub fn register(ctx: &mut AppContext) -> Option<Router> {
    ///     ctx.readiness("cache", |_state| async {
    ///         if CACHE_UP.load(Ordering::Relaxed) {
    ///             Ok(())
    ///         } else {
    ///             Err("the cache does not answer".into())
    ///         }
    ///     });
    ///     None
    /// }
    /// # let _ = register;
    /// ```
    pub fn readiness<F, Fut>(&mut self, name: &str, check: F)
    where
        F: Fn(AppState) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), BoxError>> + Send + 'static,
    {
        self.readiness.push(crate::health::Check {
            app: self.app,
            name: name.to_string(),
            run: Arc::new(move |state| Box::pin(check(state))),
        });
    }

    /// Runs `hook` once at shutdown, after in-flight requests have finished;
    /// an error is logged and the other hooks still run. (See the example on
    /// [`AppContext`].)
    pub fn on_shutdown<F, Fut>(&mut self, hook: F)
    where
        F: FnOnce(AppState) -> Fut + Send + 'static,
        Fut: Future<Output = Result<(), BoxError>> + Send + 'static,
    {
        let hook = Hook::new(self.app, hook);
        self.shutdown.push(hook);
    }
}

#[cfg(test)]
mod examples {
    /// Every method at work: an app registered, mounted and called
    /// in-process (its registry entry written by hand).
    #[test]
    fn an_app_registered_mounted_and_called() {
        use crate::registry::{AppEntry, AppKind, IntoRegistration, Location};
        use crate::{
            db,
            loader::{self, ResolvedApp},
            AppContext, Ext, Project, Router, Settings,
        };
        use axum::{
            body::{to_bytes, Body},
            http::Request,
            routing::get,
        };
        use std::sync::Arc;
        use tower::ServiceExt;

        #[derive(Clone)]
        struct Greeting(&'static str);

        fn register(ctx: &mut AppContext) -> Option<Router> {
            assert_eq!((ctx.app_name(), ctx.prefix()), ("news", "/news"));
            assert_eq!(ctx.settings().database_url, ":memory:");
            assert!(ctx.pool().get().is_ok());
            ctx.insert(Greeting("hello")); // for handlers: Ext<Greeting>
            let hello = get(|Ext(Greeting(text)): Ext<Greeting>| async move { text });
            ctx.nest("/feeds", Router::new().route("/hello", hello)); // outside the prefix
            ctx.merge(Router::new().route("/ping", get(|| async { "pong" }))); // at the root
            ctx.on_startup(|_state| async { Ok(()) }); // after migrations
            ctx.on_shutdown(|_state| async { Ok(()) }); // after the last request
            None // it mounted itself; `Some(router)` would be nested under /news
        }

        static NEWS: AppEntry = AppEntry {
            name: "news",

            kind: AppKind::External,

            register: |ctx| register(ctx).into_registration(),

            crate_name: "news",

            location: Location {
                file: "news/src/lib.rs",
                line: 1,
            },

            ..crate::fixtures::APP
        };
        static PROJECT: Project = Project {
            config: "apps = [\"news\"]",
            external_apps: &[&NEWS],
            ..crate::fixtures::PROJECT
        };

        #[tokio::main(flavor = "current_thread")]
        async fn main() {
            let apps = [ResolvedApp {
                entry: &NEWS,
                prefix: "/news".into(),
                listed_at: "fastapp.toml:1:9".into(),
                uses: None,
            }];
            let settings = Settings {
                database_url: ":memory:".into(),
                ..Settings::default()
            };
            let mut mounted =
                loader::mount(&PROJECT, &apps, Arc::new(settings), db::pool(":memory:")).unwrap();
            mounted.start().await.unwrap();
            let response = mounted
                .router()
                .oneshot(Request::get("/feeds/hello").body(Body::empty()).unwrap())
                .await
                .unwrap();
            assert_eq!(to_bytes(response.into_body(), 1024).await.unwrap(), "hello");
            let routes: Vec<String> = mounted
                .routes()
                .iter()
                .map(|(app, route)| format!("{app}: {route}"))
                .collect();
            assert!(routes.contains(&"news: GET /ping".to_string()), "{routes:?}");
            mounted.stop().await;
        }
        main();
    }
}
