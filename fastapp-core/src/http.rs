//! What every request and response of a project passes through: one access
//! log line per request (method, path, status, latency, app), a request
//! timeout (503) and a body-size limit (413) — settings `request_timeout`
//! and `body_limit` — and JSON errors everywhere: axum's own rejections,
//! unknown routes and wrong methods answer `{"error": …}` like
//! [`ApiError`](crate::ApiError). A NUL character in the path, the query or
//! a JSON body is refused with 400 on every backend (PostgreSQL cannot store
//! it, SQLite would), so the same input gets the same answer.
//!
//! The access log, the timeout and the body limit are layers on each route
//! (axum's `Router::layer`, so unknown routes are logged too); the NUL
//! refusal and the JSON errors are one service around the whole router
//! ([`Guard`]), which is what `serve` serves. What the guard refuses itself
//! (a NUL, a JSON body over `body_limit`) never reaches the router, and so
//! has no access log line.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use tower_http::trace::TraceLayer;

use crate::Settings;

/// The request body limit axum applies when told nothing (2 MiB).
const AXUM_BODY_LIMIT: usize = 2_097_152;

/// Whether access log lines are wanted (an INFO event of this module passes
/// the log filter, set once at start-up). When they are not, the logging
/// layers are left out: their clocks, spans and per-app marks cost every
/// request something (measured in `bench/RESULTS.md`).
fn access_log_enabled() -> bool {
    tracing::enabled!(target: "fastapp_core::http", tracing::Level::INFO)
}

/// The routes of app `app`, with a panic in a handler answered as a JSON
/// 500 ([`crate::panics`]) and the request's log span marked with the app.
pub(crate) fn for_app(
    app: &'static str,
    router: crate::Router,
    metrics: Option<Arc<crate::metrics::Metrics>>,
) -> crate::Router {
    let router = crate::panics::caught(app, router, metrics);
    if !access_log_enabled() {
        return router;
    }
    router.layer(axum::middleware::map_request(
        move |request: Request<Body>| async move {
            tracing::Span::current().record("app", tracing::field::display(app));
            request
        },
    ))
}

/// The project's router (its state given) inside what every request passes
/// through: per route, the access log, the timeout and the body limit (each
/// only when wanted); around the whole router, once, the [`Guard`].
///
/// The guard is not a `Router::layer`: that would wrap every route, and
/// axum clones a route with its layers for every request it answers (two
/// allocations and a boxed future more per request; `bench/RESULTS.md`).
pub(crate) fn around(
    router: axum::Router,
    settings: &Settings,
    metrics: Option<Arc<crate::metrics::Metrics>>,
) -> Guard<axum::Router> {
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
    // axum's own limit is 2 MiB, fastapp's default: a layer only for another
    // (it costs an extensions map per request).
    let router = if settings.body_limit == AXUM_BODY_LIMIT {
        router
    } else {
        router.layer(axum::extract::DefaultBodyLimit::max(settings.body_limit))
    };
    Guard {
        inner: logged(router),
        metrics,
        body_limit,
        body_timeout: (settings.request_timeout > 0).then(|| Duration::from_secs(settings.request_timeout)),
    }
}

/// `router` with the access log around each route, when it is wanted.
fn logged(router: axum::Router) -> axum::Router {
    if !access_log_enabled() {
        return router;
    }
    router.layer(
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

/// Refuses NULs (400) and turns plain error responses into JSON
/// ([`json_errors`]), in one service: one boxed future per request, where
/// axum's `from_fn` and `map_response` took two and a clone of the router.
#[derive(Clone)]
pub(crate) struct Guard<S> {
    inner: S,
    body_limit: usize,
    /// How long a JSON body may take to arrive (`request_timeout`).
    body_timeout: Option<Duration>,
    /// With metrics on: where requests no route answered are counted.
    metrics: Option<Arc<crate::metrics::Metrics>>,
}

type Answer = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

impl<S> tower::Service<Request<Body>> for Guard<S>
where
    S: tower::Service<Request<Body>, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Guarded<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Body>) -> Guarded<S::Future> {
        let target = request.uri().path_and_query().map_or("", |pq| pq.as_str());
        // What the guard refuses itself never reaches a route: counted here
        // (made only where a refusal can happen, off the common path).
        if nul_in_target(target) {
            let refusal = Refusal::of(&self.metrics, request.method());
            return Guarded::Boxed {
                answer: Box::pin(std::future::ready(Ok(refused(&refusal, nul_refused())))),
            };
        }
        let json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json") || v.contains("+json"));
        if !json {
            return Guarded::Inner {
                answer: self.inner.call(request),
            };
        }
        let refusal = Refusal::of(&self.metrics, request.method());
        // The service that was made ready answers; a fresh clone waits for the next call.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let body_limit = self.body_limit;
        let body_timeout = self.body_timeout;
        let answer: Answer = Box::pin(async move {
            let (parts, body) = request.into_parts();
            let read = axum::body::to_bytes(body, body_limit);
            // A body that arrives slowly is cut at `request_timeout` as well
            // (the timeout around the route starts after it was read).
            let read = match body_timeout {
                Some(limit) => match tokio::time::timeout(limit, read).await {
                    Ok(read) => read,
                    Err(_) => {
                        let timed_out = crate::ApiError::new(
                            StatusCode::REQUEST_TIMEOUT,
                            format!(
                                "the request body did not arrive within request_timeout ({}s)",
                                limit.as_secs()
                            ),
                        );
                        return Ok(refused(&refusal, timed_out.into_response()));
                    }
                },
                None => read.await,
            };
            let Ok(bytes) = read else {
                let too_large = crate::ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("the request body is larger than {body_limit} bytes (setting body_limit)"),
                );
                return Ok(refused(&refusal, too_large.into_response()));
            };
            if has_nul(&bytes) {
                return Ok(refused(&refusal, nul_refused()));
            }
            let response = inner.call(Request::from_parts(parts, Body::from(bytes))).await?;
            Ok(json_errors(response).await)
        });
        Guarded::Boxed { answer }
    }
}

pin_project_lite::pin_project! {
    /// [`Guard`]'s answer: the router's own future, unboxed, on the common
    /// path (only an error response is boxed, to rewrite its body).
    #[project = GuardedProj]
    pub(crate) enum Guarded<F> {
        /// The router answers; a plain error response becomes JSON after.
        Inner { #[pin] answer: F },
        /// A refusal, a JSON request body being read, or an error body being rewritten.
        Boxed { answer: Answer },
    }
}

impl<F> Future for Guarded<F>
where
    F: Future<Output = Result<Response, Infallible>>,
{
    type Output = Result<Response, Infallible>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.as_mut().project() {
            GuardedProj::Inner { answer } => {
                let Ok(response) = std::task::ready!(answer.poll(cx));
                if !needs_json(&response) {
                    return Poll::Ready(Ok(response));
                }
                let answer: Answer = Box::pin(async move { Ok(json_errors(response).await) });
                self.set(Guarded::Boxed { answer });
                self.poll(cx)
            }
            GuardedProj::Boxed { answer } => answer.as_mut().poll(cx),
        }
    }
}

/// With metrics on, what is needed to count a request the guard refuses.
struct Refusal {
    metrics: Arc<crate::metrics::Metrics>,
    method: axum::http::Method,
    started: std::time::Instant,
}

impl Refusal {
    /// What counting a refusal of a `method` request needs, when metrics are on.
    fn of(metrics: &Option<Arc<crate::metrics::Metrics>>, method: &axum::http::Method) -> Option<Refusal> {
        metrics.clone().map(|metrics| Refusal {
            metrics,
            method: method.clone(),
            started: std::time::Instant::now(),
        })
    }
}

/// `response`, the guard's own refusal, counted (app `fastapp`, no route).
fn refused(refusal: &Option<Refusal>, response: Response) -> Response {
    if let Some(refusal) = refusal {
        refusal.metrics.observe(
            "fastapp",
            &refusal.method,
            None,
            response.status(),
            refusal.started,
        );
    }
    response
}

/// A 4xx or 5xx whose body is empty or plain text.
fn needs_json(response: &Response) -> bool {
    let status = response.status();
    (status.is_client_error() || status.is_server_error())
        && match response.headers().get(header::CONTENT_TYPE) {
            None => true,
            Some(value) => value.to_str().is_ok_and(|v| v.starts_with("text/plain")),
        }
}

/// A NUL in the path or query, raw or percent-encoded (`%00`, any case).
fn nul_in_target(target: &str) -> bool {
    target.contains('\0')
        || target
            .as_bytes()
            .windows(3)
            .any(|w| w[0] == b'%' && w[1] == b'0' && w[2] == b'0')
}

fn nul_refused() -> Response {
    crate::ApiError::new(
        StatusCode::BAD_REQUEST,
        "the request contains a NUL character (\\u0000 or %00), which is refused: PostgreSQL cannot store it",
    )
    .into_response()
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
    if !needs_json(&response) {
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
