//! `metrics_path` (`/metrics`, setting `metrics`): Prometheus text format.
//!
//! - `fastapp_http_requests_total` and `fastapp_http_request_duration_seconds`
//!   (a histogram), labelled `app`, `method`, `route` and `status`. `route` is
//!   the route's pattern as the router matched it (`/blog/posts/{id}`),
//!   never the raw path, and `<unmatched>` (app `fastapp`) for a path no route has, so the
//!   label sets stay as few as the routes × methods × statuses. The request
//!   guard ([`crate::http`]) counts every answer once, refusals of its own
//!   included, by the route the request's method and path match
//!   ([`crate::routes::Index`]): no layer on each route;
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
use std::sync::atomic::Ordering;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use axum::body::Body;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use prometheus::{
    Encoder, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts, Registry,
    TextEncoder,
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
    /// Each route pattern's label sets seen so far, with their handles.
    series: RwLock<HashMap<String, Vec<Series>, fnv::FnvBuildHasher>>,
}

/// One label set's handles.
struct Series {
    app: String,
    method: &'static str,
    status: StatusCode,
    requests: IntCounter,
    latency: Histogram,
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
            series: RwLock::new(HashMap::default()),
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

    /// How many migrations the served database has applied.
    pub(crate) fn set_migrations_applied(&self, applied: usize) {
        self.migrations.set(i64::try_from(applied).unwrap_or(i64::MAX));
    }

    /// Counts and times one answer (`route` `None`: no route matched).
    pub(crate) fn observe(
        &self,
        app: &str,
        method: &Method,
        route: Option<&str>,
        status: StatusCode,
        started: Instant,
    ) {
        let route = route.unwrap_or(UNMATCHED);
        let method = static_method(method);
        let elapsed = started.elapsed().as_secs_f64();
        // The handles of this label set, looked up once per route in a
        // cache of this server's (one hash of the route pattern and a
        // short scan), not by hashing the four labels in each metric.
        let cached = |series: &Vec<Series>| {
            series
                .iter()
                .find(|s| s.method == method && s.status == status && s.app == app)
                .map(|s| {
                    s.requests.inc();
                    s.latency.observe(elapsed);
                })
        };
        if let Some(()) = self
            .series
            .read()
            .ok()
            .and_then(|map| map.get(route).and_then(cached))
        {
            return;
        }
        let labels = [app, method, route, status.as_str()];
        let series = Series {
            app: app.to_string(),
            method,
            status,
            requests: self.requests.with_label_values(&labels),
            latency: self.latency.with_label_values(&labels),
        };
        series.requests.inc();
        series.latency.observe(elapsed);
        if let Ok(mut map) = self.series.write() {
            map.entry(route.to_string()).or_default().push(series);
        }
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

/// A standard method's name, as a `&'static str`.
/// Any other method is one label, `OTHER`, whatever its name: a client must
/// not be able to grow the label sets.
fn static_method(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::TRACE => "TRACE",
        Method::CONNECT => "CONNECT",
        _ => "OTHER",
    }
}
