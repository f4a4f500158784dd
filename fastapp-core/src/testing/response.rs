//! What the test client's requests return.

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::de::DeserializeOwned;

/// A whole response: status, headers and body, read into memory.
///
/// The assertion helpers panic with the request, the status and the body,
/// so a failing test shows what the app answered.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use axum::http::StatusCode;
/// use fastapp_core::testing::TestResponse;
///
/// let response = axum::response::IntoResponse::into_response(
///     (StatusCode::CREATED, axum::Json(serde_json::json!({"id": 7}))),
/// );
/// let response = TestResponse::read("POST /items", response).await;
/// let body: serde_json::Value = response.assert_status(StatusCode::CREATED).json();
/// assert_eq!(body["id"], 7);
///
/// let response = axum::response::IntoResponse::into_response(([("x-app", "notes")], "hello"));
/// let response = TestResponse::read("GET /hello", response).await.assert_ok();
/// assert_eq!(response.status(), StatusCode::OK);
/// assert_eq!(response.headers()["x-app"], "notes");
/// assert_eq!(response.bytes(), b"hello");
/// assert_eq!(response.text(), "hello");
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct TestResponse {
    request: String,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl TestResponse {
    /// Reads `response` whole; `request` (e.g. `GET /users`) names it in panics.
    /// (See the examples on [`TestResponse`].)
    pub async fn read(request: impl Into<String>, response: Response) -> TestResponse {
        let request = request.into();
        let (parts, body) = response.into_parts();
        let body = axum::body::to_bytes(body, usize::MAX)
            .await
            .unwrap_or_else(|err| panic!("{request}: cannot read the response body: {err}"));
        TestResponse {
            request,
            status: parts.status,
            headers: parts.headers,
            body,
        }
    }

    /// The status.
    /// (See the examples on [`TestResponse`].)
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers.
    /// (See the examples on [`TestResponse`].)
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body's bytes.
    /// (See the examples on [`TestResponse`].)
    pub fn bytes(&self) -> &[u8] {
        &self.body
    }

    /// The body as text (lossy UTF-8).
    /// (See the examples on [`TestResponse`].)
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body parsed as JSON into `T`; panics with the body if it does not fit.
    /// (See the examples on [`TestResponse`].)
    #[track_caller]
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body).unwrap_or_else(|err| {
            panic!(
                "{}: the {} response body is not the JSON expected ({err}): {}",
                self.request,
                self.status,
                self.text()
            )
        })
    }

    /// Panics unless the status is `expected`; returns the response for chaining.
    /// (See the examples on [`TestResponse`].)
    #[track_caller]
    pub fn assert_status(self, expected: StatusCode) -> TestResponse {
        assert_eq!(
            self.status,
            expected,
            "{}: expected {expected}, got {} with body: {}",
            self.request,
            self.status,
            self.text()
        );
        self
    }

    /// Panics unless the status is 2xx; returns the response for chaining.
    /// (See the examples on [`TestResponse`].)
    #[track_caller]
    pub fn assert_ok(self) -> TestResponse {
        assert!(
            self.status.is_success(),
            "{}: expected a 2xx status, got {} with body: {}",
            self.request,
            self.status,
            self.text()
        );
        self
    }
}
