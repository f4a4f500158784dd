//! [`ApiError`]: the JSON error a handler returns, and what diesel's
//! errors become.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

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

    pub(crate) fn internal(message: String) -> ApiError {
        tracing::error!(%message, "internal error");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
    }

    pub(crate) fn unavailable(message: String) -> ApiError {
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
