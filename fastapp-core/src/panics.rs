//! Panics, answered: a handler that panics gets a JSON 500 like every other
//! error (not a dropped connection), and `serve` logs one line naming the
//! app, the route and the panic message (not the standard hook's text and
//! backtrace). Panics in `register` and in hooks become findings; both
//! paths read the message here.
//!
//! [`caught`] is a layer on each app's routes, so it knows the app and sees
//! the matched route; [`install_hook`] (called by `serve`) keeps the
//! standard hook quiet for panics [`caught`] answers, and only for those.
//! A panic in database work (`state.db(…)`, on a blocking thread) is
//! [`carried`] back to the route and answered the same way.

use std::cell::{Cell, RefCell};
use std::convert::Infallible;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::{Arc, Once};
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::MatchedPath;
use axum::http::{Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};

thread_local! {
    /// Set while a [`Catch`] polls its route: a panic now is answered.
    static ANSWERING: Cell<bool> = const { Cell::new(false) };
    /// Where the last answered panic happened (`file:line`), from the hook.
    static LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The text of a panic's payload (`panic!("…")` gives a `&str` or a `String`).
pub(crate) fn message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "a panic".into())
}

/// `catch_unwind` without the standard hook's "thread panicked" text on
/// stderr: the caller reports the panic itself (as a finding, also under
/// `check --json`).
pub(crate) fn quietly<R>(work: impl FnOnce() -> R) -> std::thread::Result<R> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(AssertUnwindSafe(work));
    std::panic::set_hook(previous);
    result
}

/// Makes the process's panic hook quiet for panics that [`caught`] answers
/// (it only notes where they happened, for the log line); every other panic
/// goes to the hook that was there before. Once per process.
pub(crate) fn install_hook() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if ANSWERING.get() {
                let at = info.location().map(|l| format!("{}:{}", l.file(), l.line()));
                LOCATION.set(at);
            } else {
                previous(info);
            }
        }));
    });
}

/// Whether this thread is polling a route that [`caught`] answers for (so
/// work it hands to another thread should carry a panic back: [`carried`]).
pub(crate) fn answering() -> bool {
    ANSWERING.get()
}

/// A panic caught on another thread (a `spawn_blocking` of the database
/// work), with where it happened.
pub(crate) struct Carried {
    payload: Box<dyn std::any::Any + Send>,
    location: Option<String>,
}

impl Carried {
    /// Panics again on this thread, where [`caught`] answers it (and
    /// without the hook: `resume_unwind` does not call it).
    pub(crate) fn resume(self) -> ! {
        LOCATION.set(self.location);
        std::panic::resume_unwind(self.payload)
    }
}

/// `work` (on a blocking thread), with a panic in it caught and carried
/// back when the route that handed it over is `answering`; otherwise as
/// plain as calling it.
pub(crate) fn carried<R>(answering: bool, work: impl FnOnce() -> R) -> Result<R, Carried> {
    if !answering {
        return Ok(work());
    }
    guarded(work).map_err(|payload| Carried {
        payload,
        location: LOCATION.take(),
    })
}

/// `router` (the routes of app `app`) with a panic in any of its handlers
/// answered as a JSON 500 and logged as one line.
///
/// With `metrics`, each answer is counted and timed there too, by app,
/// method, route pattern and status: the layer is already around each
/// route and has them at hand, so metrics add no layer of their own.
pub(crate) fn caught(
    app: &'static str,
    router: crate::Router,
    metrics: Option<Arc<crate::metrics::Metrics>>,
) -> crate::Router {
    router.layer(CatchLayer { app, metrics })
}

#[derive(Clone)]
struct CatchLayer {
    app: &'static str,
    metrics: Option<Arc<crate::metrics::Metrics>>,
}

impl<S> tower::Layer<S> for CatchLayer {
    type Service = Catch<S>;

    fn layer(&self, inner: S) -> Catch<S> {
        Catch {
            inner,
            app: self.app,
            metrics: self.metrics.clone(),
        }
    }
}

/// The service [`caught`] puts around each route.
#[derive(Clone)]
struct Catch<S> {
    inner: S,
    app: &'static str,
    metrics: Option<Arc<crate::metrics::Metrics>>,
}

/// What the log line (and the metrics) name, taken before the request is
/// handed on.
struct Answering {
    app: &'static str,
    method: Method,
    route: Option<MatchedPath>,
    /// With metrics on: where to count the answer, and when it started.
    measured: Option<(Arc<crate::metrics::Metrics>, std::time::Instant)>,
}

impl Answering {
    /// Counts `response` (with metrics on).
    fn answered(&self, response: &Response) {
        if let Some((metrics, started)) = &self.measured {
            metrics.observe(
                self.app,
                &self.method,
                self.route.as_ref(),
                response.status(),
                *started,
            );
        }
    }
}

impl<S> tower::Service<Request<Body>> for Catch<S>
where
    S: tower::Service<Request<Body>, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Caught<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Body>) -> Caught<S::Future> {
        let answering = Answering {
            app: self.app,
            method: request.method().clone(),
            route: request.extensions().get::<MatchedPath>().cloned(),
            measured: self.metrics.clone().map(|m| (m, std::time::Instant::now())),
        };
        let inner = &mut self.inner;
        match guarded(|| inner.call(request)) {
            Ok(answer) => Caught::Running { answer, answering },
            Err(payload) => Caught::Panicked {
                response: Some(answered(&answering, &*payload)),
            },
        }
    }
}

pin_project_lite::pin_project! {
    /// The route's answer, or the 500 that replaced it.
    #[project = CaughtProj]
    enum Caught<F> {
        Running { #[pin] answer: F, answering: Answering },
        Panicked { response: Option<Response> },
    }
}

impl<F> Future for Caught<F>
where
    F: Future<Output = Result<Response, Infallible>>,
{
    type Output = Result<Response, Infallible>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let response = match self.as_mut().project() {
            CaughtProj::Running { answer, answering } => match guarded(|| answer.poll(cx)) {
                Ok(Poll::Ready(Ok(response))) => {
                    answering.answered(&response);
                    return Poll::Ready(Ok(response));
                }
                Ok(Poll::Pending) => return Poll::Pending,
                Err(payload) => answered(answering, &*payload),
            },
            CaughtProj::Panicked { response } => response.take().expect("polled after it answered"),
        };
        // The route's future panicked: never poll it again.
        self.set(Caught::Panicked { response: None });
        Poll::Ready(Ok(response))
    }
}

/// `work`, with a panic in it caught and marked as answered (for the hook).
fn guarded<R>(work: impl FnOnce() -> R) -> std::thread::Result<R> {
    let before = ANSWERING.replace(true);
    let result = std::panic::catch_unwind(AssertUnwindSafe(work));
    ANSWERING.set(before);
    result
}

/// Logs the caught panic as one line and makes its 500.
fn answered(answering: &Answering, payload: &(dyn std::any::Any + Send)) -> Response {
    let route = answering.route.as_ref().map_or("(no route)", MatchedPath::as_str);
    let location = LOCATION.take().unwrap_or_else(|| "unknown".into());
    tracing::error!(
        app = answering.app,
        method = %answering.method,
        route,
        at = %location,
        "a handler panicked: {}",
        message(payload)
    );
    let response =
        crate::ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal server error").into_response();
    answering.answered(&response);
    response
}

#[cfg(test)]
mod tests {
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;

    #[tokio::test]
    async fn a_panicking_handler_answers_a_json_500_and_the_next_request_is_served() {
        let router: crate::Router = crate::Router::new()
            .route(
                "/boom/{id}",
                get(|| async { panic!("the boom handler gave up") as &str }),
            )
            .route("/fine", get(|| async { "fine" }));
        let state = crate::AppState::new(
            std::sync::Arc::new(crate::Settings::default()),
            crate::db::pool(":memory:"),
            axum::http::Extensions::new(),
        );
        let router = caught("demo", router, None).with_state(state);
        let request = Request::get("/boom/7").body(Body::empty()).unwrap();
        let response = router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(response.headers()["content-type"], "application/json");
        let body = axum::body::to_bytes(response.into_body(), 1024).await.unwrap();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["error"], "internal server error");

        let request = Request::get("/fine").body(Body::empty()).unwrap();
        let response = router.oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }

    #[test]
    fn a_payload_reads_as_its_message() {
        let text = std::panic::catch_unwind(|| panic!("no {}", "cache")).unwrap_err();
        assert_eq!(message(&*text), "no cache");
        let literal = std::panic::catch_unwind(|| panic!("plain")).unwrap_err();
        assert_eq!(message(&*literal), "plain");
        let other = std::panic::catch_unwind(|| std::panic::panic_any(7)).unwrap_err();
        assert_eq!(message(&*other), "a panic");
    }
}
