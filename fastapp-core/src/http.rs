//! What every request and response of a project passes through: one access
//! log line per request (method, path, status, latency, app), a request
//! timeout and a body-size limit (settings `request_timeout`, `body_limit`),
//! and JSON errors everywhere — axum's own rejections, unknown routes and
//! wrong methods answer `{"error": …}` like [`ApiError`](crate::ApiError).

use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use tower_http::trace::TraceLayer;

use crate::{AppState, Settings};

/// Marks the request's log span with the app whose route answers it.
pub(crate) fn for_app(app: &'static str, router: crate::Router) -> crate::Router {
    router.layer(axum::middleware::map_request(
        move |request: Request<Body>| async move {
            tracing::Span::current().record("app", tracing::field::display(app));
            request
        },
    ))
}

/// The project's router with the layers every request passes through.
pub(crate) fn around(router: axum::Router<AppState>, settings: &Settings) -> axum::Router<AppState> {
    let router = router.fallback(not_found);
    let router = if settings.request_timeout > 0 {
        router.layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(settings.request_timeout),
        ))
    } else {
        router
    };
    router
        .layer(axum::extract::DefaultBodyLimit::max(settings.body_limit))
        .layer(axum::middleware::map_response(json_errors))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<Body>| {
                    tracing::info_span!(
                        "request",
                        method = %request.method(),
                        path = %request.uri().path(),
                        app = tracing::field::Empty,
                    )
                })
                .on_request(())
                .on_response(|response: &Response, latency: Duration, _: &tracing::Span| {
                    tracing::info!(
                        status = response.status().as_u16(),
                        latency_ms = latency.as_millis() as u64,
                        "served"
                    );
                })
                .on_failure(()),
        )
}

async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        axum::Json(serde_json::json!({ "error": "no such route" })),
    )
        .into_response()
}

/// A 4xx or 5xx whose body is not JSON (axum's rejections, 405, 408, 413)
/// becomes `{"error": "<its text>"}` with `application/json`.
async fn json_errors(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 64 * 1024).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&text).trim().to_string();
    let message = if text.is_empty() {
        status.canonical_reason().unwrap_or("error").to_lowercase()
    } else {
        text
    };
    let body = serde_json::to_vec(&serde_json::json!({ "error": message })).unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Response::from_parts(parts, Body::from(body))
}
