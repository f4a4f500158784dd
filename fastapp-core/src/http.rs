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
//! refusal, the JSON errors, a panic answered as a JSON 500 and the metrics
//! are one service around the whole router ([`Guard`]), which is what
//! `serve` serves. What the guard refuses itself (a NUL, a JSON body over
//! `body_limit`) never reaches the router, and so has no access log line.

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

/// The routes of app `app`, the request's log span marked with the app
/// when access log lines are wanted (otherwise as they are: who answered a
/// request is found by [`Answered`], not by a layer on each route).
pub(crate) fn for_app(app: &'static str, router: crate::Router) -> crate::Router {
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
pub(crate) fn around(router: axum::Router, settings: &Settings, answered: Answered) -> Guard<axum::Router> {
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
        answered: Arc::new(answered),
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

/// Who answers a request: the app and the route as registered (see
/// [`crate::routes::Index`]), `None` when no route has the path.
pub(crate) trait Answerers: Send + Sync {
    /// Who answers `method` at `path`: the app and the path as registered.
    fn find(&self, method: &axum::http::Method, path: &str) -> Option<&crate::routes::Answerer>;

    /// How many answerers there are (each has a number below it).
    fn len(&self) -> usize;
}

impl Answerers for crate::routes::Index {
    fn find(&self, method: &axum::http::Method, path: &str) -> Option<&crate::routes::Answerer> {
        crate::routes::Index::find(self, method, path)
    }

    fn len(&self) -> usize {
        crate::routes::Index::len(self)
    }
}

/// What the guard does once a request is answered: a panic is answered as
/// a JSON 500 and logged as one line naming who answered
/// ([`crate::panics`]); with metrics on, every answer is counted and timed
/// by who answered (app `fastapp`, route `<unmatched>`, where no route has
/// the path).
pub(crate) struct Answered {
    answerers: Arc<dyn Answerers>,
    metrics: Option<Arc<crate::metrics::Metrics>>,
}

impl Answered {
    /// Answers found in `answerers`, counted in `metrics` when on.
    pub(crate) fn new(
        answerers: Arc<dyn Answerers>,
        metrics: Option<Arc<crate::metrics::Metrics>>,
    ) -> Answered {
        Answered { answerers, metrics }
    }
}

/// Refuses NULs (400), turns plain error responses into JSON
/// ([`json_errors`]), answers panics and counts answers ([`Answered`]), in
/// one service around the whole router: no boxed future on the common
/// path, where a layer on each route would cost a clone of the route per
/// request.
#[derive(Clone)]
pub(crate) struct Guard<S> {
    inner: S,
    body_limit: usize,
    /// How long a JSON body may take to arrive (`request_timeout`).
    body_timeout: Option<Duration>,
    answered: Arc<Answered>,
}

type Boxed = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

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
        // The service that was made ready answers; a fresh clone waits for the next call.
        let clone = self.inner.clone();
        let ready = std::mem::replace(&mut self.inner, clone);
        self.guard(ready, request)
    }
}

impl Guard<axum::Router> {
    /// Answers `request` through a shared reference, as a connection
    /// does: the router (always ready) is cloned, one `Arc`, and nothing
    /// else of the guard.
    pub(crate) fn answer(
        &self,
        request: Request<Body>,
    ) -> Guarded<axum::routing::future::RouteFuture<Infallible>> {
        self.guard(self.inner.clone(), request)
    }
}

impl<S> Guard<S>
where
    S: tower::Service<Request<Body>, Response = Response, Error = Infallible> + Send + 'static,
    S::Future: Send + 'static,
{
    /// `request`, answered by `inner` (ready to be called) inside the guard.
    fn guard(&self, mut inner: S, request: Request<Body>) -> Guarded<S::Future> {
        let asked = Asked {
            method: request.method().clone(),
            target: request.uri().path_and_query().cloned(),
            started: self.answered.metrics.is_some().then(std::time::Instant::now),
            answered: self.answered.clone(),
        };
        let target = request.uri().path_and_query().map_or("", |pq| pq.as_str());
        if nul_in_target(target) {
            return Guarded::new(
                Answer::Ready {
                    response: Some(nul_refused()),
                },
                asked,
            );
        }
        // A request without a body (most GETs) has no JSON to look at.
        let json = !axum::body::HttpBody::is_end_stream(request.body())
            && request
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(is_json);
        if !json {
            // axum's router runs no handler code here (each route is a
            // `Oneshot` that calls its service when first polled): a panic
            // comes from polling, which `Guarded` catches.
            let answer = inner.call(request);
            return Guarded::new(Answer::Inner { answer }, asked);
        }
        let body_limit = self.body_limit;
        let body_timeout = self.body_timeout;
        let answer: Boxed = Box::pin(async move {
            let (parts, body) = request.into_parts();
            let bytes = match read_body(body, body_limit, body_timeout).await {
                Ok(bytes) => bytes,
                Err(refused) => return Ok(refused),
            };
            if has_nul(&bytes) {
                return Ok(nul_refused());
            }
            let response = inner.call(Request::from_parts(parts, Body::from(bytes))).await?;
            Ok(json_errors(response).await)
        });
        Guarded::new(Answer::Boxed { answer }, asked)
    }
}

/// A JSON request's whole body, or the answer that refuses it: 408 after
/// `timeout` (a body that arrives slowly is cut at `request_timeout` as
/// well: the timeout around the route starts after it was read), 413 over
/// `limit`, 400 for one that breaks off or is malformed (a bad chunk).
async fn read_body(
    body: Body,
    limit: usize,
    timeout: Option<Duration>,
) -> Result<axum::body::Bytes, Response> {
    let read = axum::body::to_bytes(body, limit);
    let read = match timeout {
        Some(timeout) => tokio::time::timeout(timeout, read).await.map_err(|_| {
            crate::ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                format!(
                    "the request body did not arrive within request_timeout ({}s)",
                    timeout.as_secs()
                ),
            )
            .into_response()
        })?,
        None => read.await,
    };
    read.map_err(|err| {
        let refused = if too_large(&err) {
            crate::ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the request body is larger than {limit} bytes (setting body_limit)"),
            )
        } else {
            crate::ApiError::new(
                StatusCode::BAD_REQUEST,
                format!("the request body could not be read: {err}"),
            )
        };
        refused.into_response()
    })
}

/// What the guard keeps of a request until it is answered.
struct Asked {
    method: axum::http::Method,
    target: Option<axum::http::uri::PathAndQuery>,
    /// With metrics on: when the request came.
    started: Option<std::time::Instant>,
    answered: Arc<Answered>,
}

impl Asked {
    /// Who answers the request, if a route has its path.
    fn answerer(&self) -> Option<&crate::routes::Answerer> {
        let path = self.target.as_ref().map_or("/", |target| target.path());
        self.answered.answerers.find(&self.method, path)
    }

    /// Counts `response` (with metrics on).
    fn count(&self, response: &Response) {
        if let (Some(metrics), Some(started)) = (&self.answered.metrics, self.started) {
            let answerers = self.answered.answerers.len();
            metrics.observe(
                self.answerer(),
                answerers,
                &self.method,
                response.status(),
                started,
            );
        }
    }

    /// The 500 for a panic while answering, logged as one line.
    fn panicked(&self, payload: &(dyn std::any::Any + Send)) -> Response {
        let (app, route) = self
            .answerer()
            .map_or(("fastapp", "(no route)"), |a| (a.app.as_str(), a.route.as_str()));
        crate::panics::answered(app, &self.method, route, payload)
    }
}

pin_project_lite::pin_project! {
    /// [`Guard`]'s answer, counted once it is there, with a panic in the
    /// router's future answered as a 500.
    pub(crate) struct Guarded<F> {
        #[pin]
        answer: Answer<F>,
        asked: Asked,
    }
}

impl<F> Guarded<F> {
    fn new(answer: Answer<F>, asked: Asked) -> Guarded<F> {
        Guarded { answer, asked }
    }
}

pin_project_lite::pin_project! {
    #[project = AnswerProj]
    enum Answer<F> {
        /// The router answers, its own future unboxed (the common path); a
        /// plain error response becomes JSON after.
        Inner { #[pin] answer: F },
        /// A JSON request body being read, or an error body being rewritten.
        Boxed { answer: Boxed },
        /// Answered already: a refusal, or the 500 for a panic.
        Ready { response: Option<Response> },
    }
}

impl<F: Future<Output = Result<Response, Infallible>>> Answer<F> {
    fn poll_answer(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Response> {
        match self.as_mut().project() {
            AnswerProj::Inner { answer } => {
                let Ok(response) = std::task::ready!(answer.poll(cx));
                if !needs_json(&response) {
                    return Poll::Ready(response);
                }
                let answer: Boxed = Box::pin(async move { Ok(json_errors(response).await) });
                self.set(Answer::Boxed { answer });
                self.poll_answer(cx)
            }
            AnswerProj::Boxed { answer } => answer.as_mut().poll(cx).map(|Ok(response)| response),
            AnswerProj::Ready { response } => Poll::Ready(response.take().expect("polled after it answered")),
        }
    }
}

impl<F> Future for Guarded<F>
where
    F: Future<Output = Result<Response, Infallible>>,
{
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        let response = match crate::panics::guarded(|| this.answer.as_mut().poll_answer(cx)) {
            Ok(Poll::Pending) => return Poll::Pending,
            Ok(Poll::Ready(response)) => response,
            Err(payload) => {
                // The router's future panicked: never poll it again.
                this.answer.set(Answer::Ready { response: None });
                this.asked.panicked(&*payload)
            }
        };
        this.asked.count(&response);
        Poll::Ready(Ok(response))
    }
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

/// Whether a `Content-Type` is JSON as axum's `Json` extractor takes it
/// (`application/json`, `application/<anything>+json`), compared without
/// regard to case, as media types are.
fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    let Some((kind, subtype)) = essence.split_once('/') else {
        return false;
    };
    let subtype = subtype.as_bytes();
    kind.eq_ignore_ascii_case("application")
        && (subtype.eq_ignore_ascii_case(b"json")
            || (subtype.len() > 5 && subtype[subtype.len() - 5..].eq_ignore_ascii_case(b"+json")))
}

/// Whether reading a body failed on `body_limit` (not on the body itself).
fn too_large(err: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(error) = source {
        if error.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = error.source();
    }
    false
}

/// A NUL in the path or query, raw or percent-encoded (`%00`).
fn nul_in_target(target: &str) -> bool {
    let bytes = target.as_bytes();
    // Most targets have no `%` at all: one plain pass says so (targets are
    // short; memchr's vectorised set-up cost more than the scan).
    if !bytes.iter().any(|&b| b == b'%' || b == 0) {
        return false;
    }
    bytes.contains(&0) || bytes.windows(3).any(|w| w == b"%00")
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
mod tests;
