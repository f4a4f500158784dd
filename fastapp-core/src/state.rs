//! The one state type fastapp owns, so any app — internal or an external
//! crate — can write handlers without knowing the project's types; and the
//! extractors built on it.

use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{Extensions, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

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

/// An error a handler returns: a status and a JSON body `{"error": "..."}`.
///
/// Diesel errors map to statuses: not found → 404, unique violation → 409,
/// foreign-key, check or not-null violation → 422, anything else → 500.
///
/// ```
/// use axum::http::StatusCode;
/// let err = fastapp_core::ApiError::from(diesel::result::Error::NotFound);
/// assert_eq!(err.status, StatusCode::NOT_FOUND);
/// ```
#[derive(Debug)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The message sent to the client.
    pub message: String,
}

impl ApiError {
    /// An error with `status` and `message`.
    ///
    /// ```
    /// use axum::{http::StatusCode, response::IntoResponse};
    /// let response = fastapp_core::ApiError::new(StatusCode::CONFLICT, "taken").into_response();
    /// assert_eq!(response.status(), StatusCode::CONFLICT); // body: {"error": "taken"}
    /// ```
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }

    fn internal(message: String) -> ApiError {
        tracing::error!(%message, "internal error");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
    }

    fn unavailable(message: String) -> ApiError {
        tracing::error!(%message, "database unavailable");
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
    }
}

/// A database error as the client sees it, the same on both backends and
/// naming fields, never constraints or SQL: a unique violation is 409
/// ("`username` is taken"), a foreign-key, check or not-null violation 422,
/// a row not found 404, the database gone or a SQLite write lock held past
/// the busy timeout 503; anything else 500 (logged, not sent).
///
/// ```
/// use diesel::result::{DatabaseErrorKind, Error};
/// let taken = Error::DatabaseError(DatabaseErrorKind::UniqueViolation, Box::new("UNIQUE constraint failed: users.username".to_string()));
/// let err = fastapp_core::ApiError::from(taken);
/// assert_eq!((err.status.as_u16(), err.message.as_str()), (409, "`username` is taken"));
/// let busy = Error::DatabaseError(DatabaseErrorKind::Unknown, Box::new("database is locked".to_string()));
/// assert_eq!(fastapp_core::ApiError::from(busy).status.as_u16(), 503);
/// ```
impl From<diesel::result::Error> for ApiError {
    fn from(err: diesel::result::Error) -> ApiError {
        use diesel::result::{DatabaseErrorKind as Kind, Error};
        match &err {
            Error::NotFound => ApiError::new(StatusCode::NOT_FOUND, "not found"),
            // The server went away under a pooled connection: 503, like no connection.
            Error::DatabaseError(Kind::ClosedConnection, info) => {
                ApiError::unavailable(info.message().to_string())
            }
            // SQLite's write lock held past the busy timeout: busy, not broken.
            Error::DatabaseError(Kind::Unknown, info) if info.message().contains("database is locked") => {
                ApiError::unavailable(info.message().to_string())
            }
            Error::DatabaseError(Kind::UniqueViolation, info) => {
                let message = match columns(&**info).as_slice() {
                    [] => "a value that must be unique is taken".to_string(),
                    [column] => format!("`{column}` is taken"),
                    many => format!("the combination of {} is taken", quoted(many)),
                };
                ApiError::new(StatusCode::CONFLICT, message)
            }
            Error::DatabaseError(Kind::ForeignKeyViolation, info) => {
                let message = match columns(&**info).as_slice() {
                    [] => "a reference points to a row that does not exist".to_string(),
                    many => format!("{} refers to a row that does not exist", quoted(many)),
                };
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, message)
            }
            Error::DatabaseError(Kind::NotNullViolation, info) => {
                let message = match columns(&**info).as_slice() {
                    [] => "a required value is missing".to_string(),
                    many => format!("{} must not be null", quoted(many)),
                };
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, message)
            }
            Error::DatabaseError(Kind::CheckViolation, _) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "a value breaks a rule of its table",
            ),
            _ => ApiError::internal(err.to_string()),
        }
    }
}

/// The columns a constraint error names: PostgreSQL's column or its detail
/// (`Key (a, b)=(…) …`, the values left out), SQLite's message
/// (`UNIQUE constraint failed: users.username, users.email`).
fn columns(info: &dyn diesel::result::DatabaseErrorInformation) -> Vec<String> {
    if let Some(column) = info.column_name() {
        return vec![column.to_string()];
    }
    if let Some(key) = info
        .details()
        .and_then(|d| d.strip_prefix("Key ("))
        .and_then(|d| d.split_once(")="))
    {
        return key
            .0
            .split(',')
            .map(|c| c.trim().trim_matches('"').to_string())
            .collect();
    }
    match info.message().split_once("constraint failed: ") {
        Some((_, list)) => list
            .split(',')
            .map(|c| c.trim().rsplit('.').next().unwrap_or_default().to_string())
            .filter(|c| !c.is_empty())
            .collect(),
        None => Vec::new(),
    }
}

/// `a`, `b` and `c`.
fn quoted(columns: &[String]) -> String {
    let quoted: Vec<String> = columns.iter().map(|c| format!("`{c}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(serde_json::json!({ "error": self.message }))).into_response()
    }
}
