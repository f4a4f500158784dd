//! The one state type fastapp owns, so any app — internal or an external
//! crate — can write handlers without knowing the project's types; and the
//! extractors built on it.

use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::Extensions;

use crate::api_error::ApiError;
use crate::db::{DbConnection, DbPool};
use crate::Settings;

/// Settings, the database pool and typed extensions, shared by every handler.
///
/// ```no_run
/// use axum::{extract::State, routing::get, Json};
/// use fastapp_core::{ApiError, AppState, Router};
///
/// async fn count(State(state): State<AppState>) -> Result<Json<i64>, ApiError> {
///     let n = state
///         .db(|conn| {
///             use diesel::RunQueryDsl;
///             diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>("1")).get_result(conn)
///         })
///         .await?;
///     Ok(Json(n))
/// }
///
/// let router: Router = Router::new().route("/count", get(count));
/// ```
//
// One `Arc` around everything: axum clones the state with every request's
// handler service, so a clone is one atomic count, as for a bare pool.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

struct Shared {
    settings: Arc<Settings>,
    pool: DbPool,
    gate: Arc<tokio::sync::Semaphore>,
    extensions: Extensions,
}

impl AppState {
    /// Creates the state (done by the loader; public for tests).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use axum::http::Extensions;
    /// use diesel::{sql_types::Integer, RunQueryDsl};
    /// use fastapp_core::{db, AppState, Settings};
    ///
    /// #[derive(Clone, PartialEq, Debug)]
    /// struct ApiKey(&'static str);
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut extensions = Extensions::new();
    /// extensions.insert(ApiKey("k1")); // what `ctx.insert` stores
    /// let state = AppState::new(Arc::new(Settings::default()), db::pool(":memory:"), extensions);
    /// assert_eq!(state.settings().port, Settings::default().port);
    /// assert_eq!(state.extension::<ApiKey>(), Some(&ApiKey("k1")));
    /// assert_eq!(state.pool().max_size(), 4);
    /// let three = state.db(|conn| diesel::select(diesel::dsl::sql::<Integer>("1 + 2")).get_result::<i32>(conn)).await;
    /// assert_eq!(three.unwrap(), 3);
    /// // A diesel error is the handler's error, with its status.
    /// let err = state.db(|conn| diesel::sql_query("SELECT * FROM nowhere").execute(conn)).await.unwrap_err();
    /// assert_eq!(err.status, axum::http::StatusCode::INTERNAL_SERVER_ERROR);
    /// # }
    /// ```
    pub fn new(settings: Arc<Settings>, pool: DbPool, extensions: Extensions) -> AppState {
        AppState(Arc::new(Shared {
            settings,
            gate: Arc::new(tokio::sync::Semaphore::new(pool.max_size() as usize)),
            pool,
            extensions,
        }))
    }

    /// The effective settings.
    /// (Every method is at work in the example on [`AppState::new`].)
    pub fn settings(&self) -> &Settings {
        &self.0.settings
    }

    /// The connection pool.
    /// (Every method is at work in the example on [`AppState::new`].)
    pub fn pool(&self) -> &DbPool {
        &self.0.pool
    }

    fn database(&self) -> Db {
        Db {
            pool: self.0.pool.clone(),
            gate: self.0.gate.clone(),
        }
    }

    /// A value an app stored with [`AppContext::insert`](crate::AppContext::insert).
    /// (Every method is at work in the example on [`AppState::new`].)
    pub fn extension<T: Send + Sync + 'static>(&self) -> Option<&T> {
        self.0.extensions.get::<T>()
    }

    /// Runs blocking diesel work on a pooled connection, off the async executor.
    /// (Every method is at work in the example on [`AppState::new`].)
    pub async fn db<F, T>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> diesel::QueryResult<T> + Send + 'static,
        T: Send + 'static,
    {
        self.database().run(work).await
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("database_url", &self.0.settings.redacted_database_url())
            .finish_non_exhaustive()
    }
}

impl FromRef<AppState> for Arc<Settings> {
    fn from_ref(state: &AppState) -> Arc<Settings> {
        state.0.settings.clone()
    }
}

/// Extractor for a pooled database connection; diesel work runs on the
/// blocking thread pool.
///
/// ```no_run
/// use axum::Json;
/// use fastapp_core::{ApiError, Db};
///
/// async fn ping(db: Db) -> Result<Json<usize>, ApiError> {
///     let n = db.run(|conn| {
///         use diesel::RunQueryDsl;
///         diesel::sql_query("SELECT 1").execute(conn)
///     }).await?;
///     Ok(Json(n))
/// }
/// # let _ = ping;
/// ```
#[derive(Clone)]
pub struct Db {
    pool: DbPool,
    /// One permit per pooled connection: requests wait for a connection
    /// here, asynchronously, so at most the pool's size of blocking
    /// threads hold or wait for connections (not one per waiting request).
    gate: Arc<tokio::sync::Semaphore>,
}

impl Db {
    /// Runs `work` with a connection from the pool, off the async executor
    /// (see the example on [`Db`]); waiting longer than `db_timeout` for a
    /// connection answers 503.
    pub async fn run<F, T>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> diesel::QueryResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        let wait = pool.connection_timeout();
        // A free connection needs no timer; a wait is bounded by db_timeout.
        let permit = match self.gate.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                POOL_WAITS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                tokio::time::timeout(wait, self.gate.clone().acquire_owned())
                    .await
                    .map_err(|_| {
                        ApiError::unavailable(format!(
                            "no database connection was free within db_timeout ({}s)",
                            wait.as_secs()
                        ))
                    })?
                    .map_err(|err| ApiError::internal(err.to_string()))?
            }
        };
        // A panic in `work` is answered like one in the handler itself.
        let answering = crate::panics::answering();
        tokio::task::spawn_blocking(move || {
            crate::panics::carried(answering, move || {
                let _permit = permit;
                let mut conn = pool.get().map_err(|err| ApiError::unavailable(err.to_string()))?;
                work(&mut conn).map_err(ApiError::from)
            })
        })
        .await
        .map_err(|err| ApiError::internal(err.to_string()))?
        .unwrap_or_else(|panic| panic.resume())
    }
}

/// Requests in this process that found every pooled connection taken and
/// waited for one (`fastapp_db_pool_waits_total` in `/metrics`).
pub(crate) static POOL_WAITS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl FromRequestParts<AppState> for Db {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(_: &mut Parts, state: &AppState) -> Result<Db, Self::Rejection> {
        Ok(state.database())
    }
}

/// Extractor for a typed value an app stored at registration with
/// [`AppContext::insert`](crate::AppContext::insert); a missing one is a 500
/// naming the type.
///
/// ```no_run
/// #[derive(Clone)]
/// struct Mailer { from: String }
///
/// async fn who(fastapp_core::Ext(mailer): fastapp_core::Ext<Mailer>) -> String {
///     mailer.from
/// }
/// # let _ = who;
/// ```
#[derive(Debug, Clone)]
pub struct Ext<T>(pub T);

impl<T: Clone + Send + Sync + 'static> FromRequestParts<AppState> for Ext<T> {
    type Rejection = ApiError;

    async fn from_request_parts(_: &mut Parts, state: &AppState) -> Result<Ext<T>, ApiError> {
        state.extension::<T>().cloned().map(Ext).ok_or_else(|| {
            ApiError::internal(format!(
                "no extension of type {} (insert it with ctx.insert in an app's register)",
                std::any::type_name::<T>()
            ))
        })
    }
}
