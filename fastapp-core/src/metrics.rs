//! `metrics_path` (`/metrics`, setting `metrics`): Prometheus text format.
//!
//! - `fastapp_http_requests_total` and `fastapp_http_request_duration_seconds`
//!   (a histogram), labelled `app`, `method`, `route` and `status`. `route` is
//!   the route's pattern as the router matched it (`/blog/posts/{id}`),
//!   never the raw path, and `<unmatched>` for a path no route has, so the
//!   label sets stay as few as the routes × methods × statuses;
//! - `fastapp_db_pool_size`, `fastapp_db_pool_connections`,
//!   `fastapp_db_pool_in_use` and `fastapp_db_pool_waits_total` (requests
//!   that found every connection taken);
//! - `fastapp_migrations_applied` (after `serve` migrated, and at each
//!   readiness check);
//! - `fastapp_build_info{project, version, fastapp_version}`, always 1.
//!
//! Off by default: the port is the public one, and the route table,
//! traffic and pool figures are for operators. Turn it on where the
//! balancer does not forward `metrics_path`, or scrape the replicas directly.
//!
//! Every metric lives in a registry of this server's own (not a global
//! one), so two projects in one test process do not mix.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::Instant;

use axum::body::Body;
use axum::extract::MatchedPath;
use axum::http::{header, HeaderValue, Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts, Registry, TextEncoder,
};

use crate::db::DbPool;

/// The label of a request no route matched.
const UNMATCHED: &str = "<unmatched>";

/// This server's metrics.
pub(crate) struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    pool: DbPool,
    pool_size: IntGauge,
    pool_connections: IntGauge,
    pool_in_use: IntGauge,
    pool_waits: IntCounter,
    migrations: IntGauge,
    /// Route pattern → app, from the route table (filled after mounting).
    apps: OnceLock<HashMap<String, String>>,
}

impl Metrics {
    pub(crate) fn new(project: &str, version: &str, pool: DbPool) -> Arc<Metrics> {
        let registry = Registry::new();
        let labels = ["app", "method", "route", "status"];
        let requests = IntCounterVec::new(
            Opts::new(
                "fastapp_http_requests_total",
                "Requests answered, by app, method, route pattern and status",
            ),
            &labels,
        )
        .expect("valid metric");
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "fastapp_http_request_duration_seconds",
                "Time to answer a request (until its response head), by app, method, route pattern and status",
            ),
            &labels,
        )
        .expect("valid metric");
        let gauge = |name: &str, help: &str| IntGauge::new(name, help).expect("valid metric");
        let metrics = Metrics {
            requests,
            latency,
            pool_size: gauge(
                "fastapp_db_pool_size",
                "The most connections the pool opens (db_pool_size)",
            ),
            pool_connections: gauge("fastapp_db_pool_connections", "Connections the pool has open"),
            pool_in_use: gauge("fastapp_db_pool_in_use", "Connections checked out"),
            pool_waits: IntCounter::new(
                "fastapp_db_pool_waits_total",
                "Requests that found every connection taken and waited",
            )
            .expect("valid metric"),
            migrations: gauge(
                "fastapp_migrations_applied",
                "Migrations applied to the served database",
            ),
            pool,
            apps: OnceLock::new(),
            registry,
        };
        let build = IntGauge::with_opts(
            Opts::new("fastapp_build_info", "The project's build; always 1")
                .const_label("project", project)
                .const_label("version", version)
                .const_label("fastapp_version", env!("CARGO_PKG_VERSION")),
        )
        .expect("valid metric");
        build.set(1);
        let collectors: [Box<dyn prometheus::core::Collector>; 8] = [
            Box::new(metrics.requests.clone()),
            Box::new(metrics.latency.clone()),
            Box::new(metrics.pool_size.clone()),
            Box::new(metrics.pool_connections.clone()),
            Box::new(metrics.pool_in_use.clone()),
            Box::new(metrics.pool_waits.clone()),
            Box::new(metrics.migrations.clone()),
            Box::new(build),
        ];
        for collector in collectors {
            metrics
                .registry
                .register(collector)
                .expect("each metric registered once");
        }
        Arc::new(metrics)
    }

    /// Which app owns each route pattern (from [`Mounted::routes`](crate::loader::Mounted::routes)).
    pub(crate) fn set_routes<'a>(&self, routes: impl IntoIterator<Item = (&'a str, &'a str)>) {
        let apps = routes
            .into_iter()
            .map(|(app, path)| (path.to_string(), app.to_string()))
            .collect();
        let _ = self.apps.set(apps);
    }

    /// How many migrations the served database has applied.
    pub(crate) fn set_migrations_applied(&self, applied: usize) {
        self.migrations.set(i64::try_from(applied).unwrap_or(i64::MAX));
    }

    fn observe(&self, method: &Method, route: Option<&MatchedPath>, status: StatusCode, started: Instant) {
        let route = route.map_or(UNMATCHED, MatchedPath::as_str);
        let app = self
            .apps
            .get()
            .and_then(|apps| apps.get(route))
            .map_or("", String::as_str);
        // A method outside HTTP's own is one label, whatever its name: a
        // client must not be able to grow the label sets.
        let method = match *method {
            Method::GET
            | Method::POST
            | Method::PUT
            | Method::PATCH
            | Method::DELETE
            | Method::HEAD
            | Method::OPTIONS
            | Method::TRACE
            | Method::CONNECT => method.as_str(),
            _ => "OTHER",
        };
        let labels = [app, method, route, status.as_str()];
        self.requests.with_label_values(&labels).inc();
        self.latency
            .with_label_values(&labels)
            .observe(started.elapsed().as_secs_f64());
    }

    /// The text exposition of every metric, the pool's figures read now.
    fn render(&self) -> Response {
        let state = self.pool.state();
        self.pool_size.set(i64::from(self.pool.max_size()));
        self.pool_connections.set(i64::from(state.connections));
        self.pool_in_use.set(i64::from(
            state.connections.saturating_sub(state.idle_connections),
        ));
        let waits = crate::state::POOL_WAITS.load(Ordering::Relaxed);
        self.pool_waits
            .inc_by(waits.saturating_sub(self.pool_waits.get()));
        let mut text = Vec::new();
        let encoder = TextEncoder::new();
        if let Err(err) = encoder.encode(&self.registry.gather(), &mut text) {
            return crate::ApiError::new(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                format!("cannot render the metrics: {err}"),
            )
            .into_response();
        }
        let mut response = Response::new(Body::from(text));
        if let Ok(content_type) = HeaderValue::from_str(encoder.format_type()) {
            response.headers_mut().insert(header::CONTENT_TYPE, content_type);
        }
        response
    }
}

/// The route at `metrics_path`.
pub(crate) fn router(path: &str, metrics: Arc<Metrics>) -> crate::Router {
    axum::Router::new().route(path, axum::routing::get(move || async move { metrics.render() }))
}

/// The layer on every route that counts and times its requests.
#[derive(Clone)]
pub(crate) struct Layer(pub Arc<Metrics>);

impl<S> tower::Layer<S> for Layer {
    type Service = Measured<S>;

    fn layer(&self, inner: S) -> Measured<S> {
        Measured {
            inner,
            metrics: self.0.clone(),
        }
    }
}

/// A route, counted and timed.
#[derive(Clone)]
pub(crate) struct Measured<S> {
    inner: S,
    metrics: Arc<Metrics>,
}

impl<S> tower::Service<Request<Body>> for Measured<S>
where
    S: tower::Service<Request<Body>, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Timed<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Body>) -> Timed<S::Future> {
        let method = request.method().clone();
        let route = request.extensions().get::<MatchedPath>().cloned();
        Timed {
            answer: self.inner.call(request),
            metrics: self.metrics.clone(),
            method,
            route,
            started: Instant::now(),
        }
    }
}

pin_project_lite::pin_project! {
    /// [`Measured`]'s answer: the route's own, recorded when it is ready.
    pub(crate) struct Timed<F> {
        #[pin]
        answer: F,
        metrics: Arc<Metrics>,
        method: Method,
        route: Option<MatchedPath>,
        started: Instant,
    }
}

impl<F> Future for Timed<F>
where
    F: Future<Output = Result<Response, Infallible>>,
{
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let Ok(response) = std::task::ready!(this.answer.poll(cx));
        this.metrics
            .observe(this.method, this.route.as_ref(), response.status(), *this.started);
        Poll::Ready(Ok(response))
    }
}
