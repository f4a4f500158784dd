//! Liveness and readiness, for load balancers and orchestrators.
//!
//! - `health_path` (`/healthz`): 200 while the process answers. It touches
//!   nothing else, so a slow database never gets a live replica restarted.
//! - `ready_path` (`/readyz`): 200 when every check passes, 503 otherwise,
//!   the body naming each check, its app, and what failed. fastapp's own
//!   checks: the database answers within [`DEADLINE`] (on a connection of
//!   its own, so a busy pool does not take a replica out), no migration of
//!   this build is pending, and the server is not stopping; then every
//!   app's own ([`AppContext::readiness`](crate::AppContext::readiness)).
//!
//! On SIGTERM `serve` turns [`Readiness::drain`]: readiness answers 503 at
//! once while requests are still served for `drain_delay` seconds, so the
//! balancer takes the replica out before it stops accepting.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use crate::db::DbConnection;
use crate::error::BoxError;
use crate::migrate::MigrationSet;
use crate::AppState;

/// How long one readiness check may take before it counts as failed.
pub(crate) const DEADLINE: Duration = Duration::from_secs(1);

/// An app's readiness check, as stored.
pub(crate) type CheckFn =
    Arc<dyn Fn(AppState) -> Pin<Box<dyn Future<Output = Result<(), BoxError>> + Send>> + Send + Sync>;

/// One app's named readiness check.
pub(crate) struct Check {
    pub app: &'static str,
    pub name: String,
    pub run: CheckFn,
}

/// What `ready_path` checks, and the switch a stop turns.
pub(crate) struct Readiness {
    draining: AtomicBool,
    checks: Vec<Check>,
    probe: Arc<Probe>,
}

/// fastapp's own database checks, on one connection kept for them.
struct Probe {
    url: String,
    conn: Mutex<Option<DbConnection>>,
    /// The migrations this build expects applied (`serve` gives them; the
    /// test kit migrates what it boots, and gives none).
    sets: OnceLock<Vec<MigrationSet>>,
    /// Told how many migrations are applied, at each check.
    metrics: Option<Arc<crate::metrics::Metrics>>,
}

/// One check's result, as `ready_path` shows it.
#[derive(Debug, Serialize)]
struct Outcome {
    app: &'static str,
    check: String,
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// `ready_path`'s body.
#[derive(Debug, Serialize)]
struct Report {
    status: &'static str,
    checks: Vec<Outcome>,
}

impl Readiness {
    pub(crate) fn new(
        database_url: &str,
        checks: Vec<Check>,
        metrics: Option<Arc<crate::metrics::Metrics>>,
    ) -> Readiness {
        Readiness {
            draining: AtomicBool::new(false),
            checks,
            probe: Arc::new(Probe {
                url: database_url.to_string(),
                conn: Mutex::new(None),
                sets: OnceLock::new(),
                metrics,
            }),
        }
    }

    /// From now on, readiness fails with check `draining` (SIGTERM).
    pub(crate) fn drain(&self) {
        self.draining.store(true, Ordering::SeqCst);
    }

    /// Readiness fails while one of `sets`' migrations is not applied.
    pub(crate) fn expect_migrations(&self, sets: Vec<MigrationSet>) {
        let _ = self.probe.sets.set(sets);
    }

    /// Runs every check (each within [`DEADLINE`], all at once).
    async fn report(&self, state: &AppState) -> Report {
        if self.draining.load(Ordering::SeqCst) {
            return Report {
                status: "draining",
                checks: vec![Outcome::failed(
                    "fastapp",
                    "draining",
                    "the server is stopping (SIGTERM): it serves for `drain_delay` more seconds, then stops accepting".into(),
                )],
            };
        }
        let probe = self.probe.clone();
        let database = async move {
            let probed = tokio::task::spawn_blocking(move || probe.run());
            match tokio::time::timeout(DEADLINE, probed).await {
                Ok(Ok(outcomes)) => outcomes,
                Ok(Err(join)) => vec![Outcome::failed(
                    "fastapp",
                    "database",
                    format!("the check panicked: {join}"),
                )],
                Err(_) => vec![Outcome::failed(
                    "fastapp",
                    "database",
                    format!("no answer within {} ms", DEADLINE.as_millis()),
                )],
            }
        };
        let apps = futures_util::future::join_all(self.checks.iter().map(|check| {
            let run = (check.run)(state.clone());
            async move {
                let result = match tokio::time::timeout(DEADLINE, run).await {
                    Ok(result) => result.map_err(|err| err.to_string()),
                    Err(_) => Err(format!("no answer within {} ms", DEADLINE.as_millis())),
                };
                match result {
                    Ok(()) => Outcome::passed(check.app, &check.name),
                    Err(error) => Outcome::failed(check.app, &check.name, error),
                }
            }
        }));
        let (mut checks, apps) = futures_util::future::join(database, apps).await;
        checks.extend(apps);
        let ready = checks.iter().all(|c| c.ok);
        Report {
            status: if ready { "ready" } else { "unready" },
            checks,
        }
    }
}

impl Probe {
    /// `database` and, when migrations are expected, `migrations`.
    fn run(&self) -> Vec<Outcome> {
        let mut slot = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let mut outcomes = Vec::new();
        let answered = self.answered(&mut slot);
        let Some(conn) = slot.as_mut().filter(|_| answered.is_ok()) else {
            outcomes.push(Outcome::failed("fastapp", "database", answered.unwrap_err()));
            *slot = None;
            return outcomes;
        };
        outcomes.push(Outcome::passed("fastapp", "database"));
        if let Some(sets) = self.sets.get() {
            outcomes.push(match crate::migrate::status(conn, sets) {
                Ok(statuses) => {
                    if let Some(metrics) = &self.metrics {
                        metrics.set_migrations_applied(statuses.iter().map(|s| s.applied.len()).sum());
                    }
                    let pending: Vec<String> = statuses
                        .iter()
                        .flat_map(|s| s.pending.iter().map(move |m| format!("{} {}", s.app, m.name)))
                        .collect();
                    if pending.is_empty() {
                        Outcome::passed("fastapp", "migrations")
                    } else {
                        Outcome::failed(
                            "fastapp",
                            "migrations",
                            format!(
                                "{} migration(s) pending: {} (run `migrate`)",
                                pending.len(),
                                pending.join(", ")
                            ),
                        )
                    }
                }
                Err(err) => Outcome::failed("fastapp", "migrations", err.to_string()),
            });
        }
        outcomes
    }

    /// The kept connection answers `SELECT 1` (connecting first if needed).
    fn answered(&self, slot: &mut Option<DbConnection>) -> Result<(), String> {
        use diesel::connection::SimpleConnection;
        if slot.is_none() {
            *slot = Some(crate::db::connect(&self.url).map_err(|err| err.to_string())?);
        }
        let conn = slot.as_mut().expect("connected above");
        conn.batch_execute("SELECT 1")
            .map_err(|err| crate::error::database(&self.url, err).to_string())
    }
}

impl Outcome {
    fn passed(app: &'static str, check: &str) -> Outcome {
        Outcome {
            app,
            check: check.to_string(),
            ok: true,
            error: None,
        }
    }

    fn failed(app: &'static str, check: &str, error: String) -> Outcome {
        Outcome {
            app,
            check: check.to_string(),
            ok: false,
            error: Some(error),
        }
    }
}

/// The routes at `health_path` and `ready_path`.
pub(crate) fn router(health_path: &str, ready_path: &str, readiness: Arc<Readiness>) -> crate::Router {
    axum::Router::new()
        .route(
            health_path,
            axum::routing::get(|| async { Json(serde_json::json!({ "status": "alive" })) }),
        )
        .route(
            ready_path,
            axum::routing::get(move |State(state): State<AppState>| async move {
                let report = readiness.report(&state).await;
                let status = if report.status == "ready" {
                    StatusCode::OK
                } else {
                    StatusCode::SERVICE_UNAVAILABLE
                };
                let mut response: Response = (status, Json(report)).into_response();
                response.headers_mut().insert(
                    axum::http::header::CACHE_CONTROL,
                    axum::http::HeaderValue::from_static("no-store"),
                );
                response
            }),
        )
}

/// The OpenAPI part describing both routes (app `fastapp`).
pub(crate) fn document(health_path: &str, ready_path: &str) -> utoipa::openapi::OpenApi {
    use utoipa::openapi::path::{HttpMethod, OperationBuilder};
    use utoipa::openapi::{OpenApiBuilder, PathItem, PathsBuilder, ResponseBuilder};
    let operation = |summary: &str, id: &str, answers: &[(&str, &str)]| {
        let mut operation = OperationBuilder::new()
            .summary(Some(summary))
            .operation_id(Some(id));
        for (status, description) in answers {
            operation = operation.response(*status, ResponseBuilder::new().description(*description));
        }
        PathItem::new(HttpMethod::Get, operation.build())
    };
    OpenApiBuilder::new()
        .paths(
            PathsBuilder::new()
                .path(
                    health_path,
                    operation(
                        "Liveness: the process answers",
                        "fastapp_health",
                        &[("200", "alive")],
                    ),
                )
                .path(
                    ready_path,
                    operation(
                        "Readiness: the database answers, no migration is pending, every app's checks pass",
                        "fastapp_ready",
                        &[
                            ("200", "ready"),
                            (
                                "503",
                                "a check failed, or the server is draining; the body names it",
                            ),
                        ],
                    ),
                ),
        )
        .build()
}
