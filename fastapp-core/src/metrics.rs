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

use std::sync::atomic::Ordering;
use std::sync::{Arc, OnceLock, RwLock};
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
    /// The label sets seen so far, with their handles: one slot per
    /// answerer ([`crate::routes::Answerer::id`]), and after them one for
    /// the requests no route matched. Made at the first request, when the
    /// routes are known.
    slots: OnceLock<Box<[Slot]>>,
}

/// One answerer's label sets (it has one app and route; they differ by
/// method and status).
#[derive(Default)]
struct Slot {
    /// The first label set seen (nearly always the only one): read with
    /// no lock.
    first: OnceLock<Series>,
    /// The others.
    rest: RwLock<Vec<Series>>,
}

/// One label set's handles.
struct Series {
    method: &'static str,
    status: StatusCode,
    requests: IntCounter,
    latency: Histogram,
}

impl Series {
    fn is(&self, method: &'static str, status: StatusCode) -> bool {
        self.status == status && self.method == method
    }

    fn record(&self, elapsed: f64) {
        self.requests.inc();
        self.latency.observe(elapsed);
    }
}

impl Slot {
    /// Records one answer in the label set of `method` and `status`,
    /// made by `new` the first time it is seen.
    fn record(&self, method: &'static str, status: StatusCode, elapsed: f64, new: impl Fn() -> Series) {
        let first = self.first.get_or_init(&new);
        if first.is(method, status) {
            return first.record(elapsed);
        }
        let found = |rest: &[Series]| {
            rest.iter()
                .find(|s| s.is(method, status))
                .map(|s| s.record(elapsed))
        };
        if let Some(()) = self.rest.read().ok().and_then(|rest| found(&rest)) {
            return;
        }
        if let Ok(mut rest) = self.rest.write() {
            if found(&rest).is_none() {
                let series = new();
                series.record(elapsed);
                rest.push(series);
            }
        }
    }
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
            slots: OnceLock::new(),
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

    /// Counts and times one answer by who answered it (`None`: no route
    /// matched), one of `answerers`.
    pub(crate) fn observe(
        &self,
        answerer: Option<&crate::routes::Answerer>,
        answerers: usize,
        method: &Method,
        status: StatusCode,
        started: Instant,
    ) {
        let elapsed = started.elapsed().as_secs_f64();
        let method = static_method(method);
        let slots = self
            .slots
            .get_or_init(|| (0..=answerers).map(|_| Slot::default()).collect());
        let (slot, app, route) = match answerer {
            Some(a) => (a.id, a.app.as_str(), a.route.as_str()),
            None => (answerers, "fastapp", UNMATCHED),
        };
        let Some(slot) = slots.get(slot) else {
            return;
        };
        slot.record(method, status, elapsed, || {
            let labels = [app, method, route, status.as_str()];
            Series {
                method,
                status,
                requests: self.requests.with_label_values(&labels),
                latency: self.latency.with_label_values(&labels),
            }
        });
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

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use axum::http::{Method, StatusCode};

    use crate::routes::{Index, Route};

    /// Each answer is counted in the label set of its route, method and
    /// status, whichever order they come in; a path no route has is
    /// `<unmatched>`, an unknown method `OTHER`.
    #[test]
    fn answers_are_counted_by_route_method_and_status() {
        let pool = crate::db::pool_for(&crate::Settings::default());
        let metrics = super::Metrics::new("shop", "1.0.0", pool);
        let route = Route::new;
        let index = Index::new(&[
            ("blog".to_string(), route("GET", "/posts/{id}")),
            ("blog".to_string(), route("POST", "/posts/{id}")),
        ]);
        let answer = |method: &str, path: &str, status: StatusCode| {
            let method: Method = method.parse().unwrap();
            let found = index.find(&method, path);
            metrics.observe(found, index.len(), &method, status, Instant::now());
        };
        answer("GET", "/posts/1", StatusCode::OK);
        answer("GET", "/posts/2", StatusCode::NOT_FOUND);
        answer("GET", "/posts/3", StatusCode::OK);
        answer("HEAD", "/posts/3", StatusCode::OK);
        answer("POST", "/posts/4", StatusCode::CREATED);
        answer("GET", "/nothing/1", StatusCode::NOT_FOUND);
        answer("GET", "/nothing/2", StatusCode::NOT_FOUND);
        answer("BREW", "/posts/5", StatusCode::METHOD_NOT_ALLOWED);
        let response = metrics.render();
        let read = axum::body::to_bytes(response.into_body(), usize::MAX);
        let text = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(read)
            .unwrap();
        let text = String::from_utf8(text.to_vec()).unwrap();
        let mut counted: Vec<&str> = text
            .lines()
            .filter(|line| line.starts_with("fastapp_http_requests_total{"))
            .collect();
        counted.sort_unstable();
        assert_eq!(
            counted,
            [
                r#"fastapp_http_requests_total{app="blog",method="GET",route="/posts/{id}",status="200"} 2"#,
                r#"fastapp_http_requests_total{app="blog",method="GET",route="/posts/{id}",status="404"} 1"#,
                r#"fastapp_http_requests_total{app="blog",method="HEAD",route="/posts/{id}",status="200"} 1"#,
                r#"fastapp_http_requests_total{app="blog",method="OTHER",route="/posts/{id}",status="405"} 1"#,
                r#"fastapp_http_requests_total{app="blog",method="POST",route="/posts/{id}",status="201"} 1"#,
                r#"fastapp_http_requests_total{app="fastapp",method="GET",route="<unmatched>",status="404"} 2"#,
            ]
        );
        assert!(text.contains(r#"fastapp_http_request_duration_seconds_count{app="blog",method="GET",route="/posts/{id}",status="200"} 2"#));
    }
}
