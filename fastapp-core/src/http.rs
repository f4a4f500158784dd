//! What every request and response of a project passes through: one access
//! log line per request (method, path, status, latency, app), a request
//! timeout (503) and a body-size limit (413) — settings `request_timeout`
//! and `body_limit` — and JSON errors everywhere: axum's own rejections,
//! unknown routes and wrong methods answer `{"error": …}` like
//! [`ApiError`](crate::ApiError). A NUL character in the path, the query or
//! a JSON body is refused with 400 on every backend (PostgreSQL cannot store
//! it, SQLite would), so the same input gets the same answer.

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
    // No fallback of ours: an app's own (a root-mounted SPA, say) stays;
    // axum's empty 404 becomes JSON below.
    let router = if settings.request_timeout > 0 {
        // 503, not 408: a client must not take it as "send it again" while
        // the handler's database work may still commit.
        router.layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(settings.request_timeout),
        ))
    } else {
        router
    };
    let body_limit = settings.body_limit;
    router
        .layer(axum::extract::DefaultBodyLimit::max(settings.body_limit))
        .layer(axum::middleware::from_fn(move |request, next| {
            refuse_nul(body_limit, request, next)
        }))
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

/// 400 for a NUL character in the path, the query or a JSON body.
async fn refuse_nul(body_limit: usize, request: Request<Body>, next: axum::middleware::Next) -> Response {
    let refused = || {
        crate::ApiError::new(
            StatusCode::BAD_REQUEST,
            "the request contains a NUL character (\\u0000 or %00), which is refused: PostgreSQL cannot store it",
        )
        .into_response()
    };
    let target = request.uri().path_and_query().map_or("", |pq| pq.as_str());
    if target.contains('\0') || target.to_ascii_lowercase().contains("%00") {
        return refused();
    }
    let json = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json") || v.contains("+json"));
    if !json {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, body_limit).await else {
        return crate::ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body is larger than {body_limit} bytes (setting body_limit)"),
        )
        .into_response();
    };
    if has_nul(&bytes) {
        return refused();
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// Whether JSON text holds a NUL: a raw 0 byte, or a `\u0000` escape (one
/// preceded by an odd run of backslashes; `\\u0000` is a backslash and text).
fn has_nul(json: &[u8]) -> bool {
    if json.contains(&0) {
        return true;
    }
    let mut backslashes = 0;
    for (i, &byte) in json.iter().enumerate() {
        if byte == b'\\' {
            backslashes += 1;
            continue;
        }
        if backslashes % 2 == 1 && byte == b'u' && json[i + 1..].starts_with(b"0000") {
            return true;
        }
        backslashes = 0;
    }
    false
}

/// A 4xx or 5xx with no body or a plain-text one (axum's rejections, its
/// 404 and 405, the timeout's 503, the body limit's 413) becomes
/// `{"error": "<its text>"}` with `application/json`. Bodies an app typed
/// itself (HTML, `application/problem+json`, …) are left alone.
async fn json_errors(response: Response) -> Response {
    let status = response.status();
    let plain = match response.headers().get(header::CONTENT_TYPE) {
        None => true,
        Some(value) => value.to_str().is_ok_and(|v| v.starts_with("text/plain")),
    };
    if !(status.is_client_error() || status.is_server_error()) || !plain {
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

#[cfg(test)]
mod tests {
    #[test]
    fn finds_nul_escapes_but_not_escaped_backslashes() {
        assert!(super::has_nul(br#"{"a": "x\u0000y"}"#));
        assert!(super::has_nul(br#"{"a": "\\\u0000"}"#));
        assert!(super::has_nul(b"{\"a\": \"\0\"}"));
        assert!(!super::has_nul(br#"{"a": "\\u0000"}"#));
        assert!(!super::has_nul(br#"{"a": "\u0001 u0000"}"#));
    }
}
