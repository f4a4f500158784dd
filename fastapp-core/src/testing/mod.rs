//! The test kit (feature `testing`): boot a project in-process on a fresh
//! database per test and call its routes without a port.
//!
//! [`TestApp`] does what `serve` does, in the same order — resolve the apps
//! `fastapp.toml` lists, register and mount them, migrate, run start-up
//! hooks — on a [`TestDatabase`] of its own: a temporary SQLite file by
//! default, or, when
//! `FASTAPP_TEST_DATABASE_URL=postgres://user:pass@host/postgres` names a
//! server, a PostgreSQL database of its own. Tests therefore run in
//! parallel without seeing each other's rows.
//!
//! **Migrated once, copied per test.** A test process migrates one
//! *template* per backend and set of migrations (the full project, and each
//! `.apps([...])` subset, keyed by the migrations' names and SQL, so an
//! edited migration gets a new one), and each test gets a copy: on SQLite a
//! copy of the migrated file; on PostgreSQL `CREATE DATABASE … TEMPLATE`, or
//! a database an earlier test of the process gave back, with its rows
//! deleted and its sequences set back (kept only if its schema and the rows
//! the migrations wrote are as the template has them, and no session but
//! its pool's is open; otherwise dropped), handed over with its pool's
//! connections open, each session reset (`RESET ALL`, `DISCARD TEMP`, …).
//! A test that panics drops its database.
//! Every test sees the same fresh, migrated database it would see if the
//! migrations ran for it; [`TestAppBuilder::fresh_migrations`] runs them
//! for real, for tests of the migrations themselves. The templates and
//! spare databases go when the process exits; a process killed before it
//! could remove them leaves them to the next test process, which drops
//! them (they are marked with a lock only a live process holds: an
//! advisory lock on PostgreSQL, a locked file for SQLite).
//!
//! Settings are `fastapp.toml [settings]` plus the test's overrides: `.env`
//! and the environment are not read, so a developer's local configuration
//! cannot change a test's outcome.
//!
//! Enable it for tests only:
//!
//! ```toml
//! [dev-dependencies]
//! fastapp-core = { version = "0.1", features = ["testing"] }
//! ```
//!
//! A complete test, in the project's crate (so that `crate::PROJECT`, which
//! `project!()` defines in `main.rs`, and the apps' models are in scope);
//! `example-project/src/apps/*/tests.rs` are more:
//!
//! ```ignore
//! // src/apps/accounts/tests.rs, declared in its mod.rs with `#[cfg(test)] mod tests;`
//! use axum::http::StatusCode;
//! use diesel::prelude::*;
//! use fastapp_core::testing::TestApp;
//! use serde_json::json;
//!
//! use crate::core::schema::users;
//!
//! #[tokio::test]
//! async fn creates_and_lists_users() {
//!     let app = TestApp::builder(&crate::PROJECT)
//!         .apps(["accounts"])          // only this app and the apps it uses
//!         .setting("page_size", 10)    // override a [settings] value
//!         .boot()
//!         .await;
//!
//!     let created = app
//!         .post_json("/accounts/users", &json!({"username": "ada", "email": "ada@example.com"}))
//!         .await
//!         .assert_status(StatusCode::CREATED);
//!     assert_eq!(created.json::<serde_json::Value>()["username"], "ada");
//!
//!     let listed: Vec<serde_json::Value> = app.get("/accounts/users").await.assert_ok().json();
//!     assert_eq!(listed.len(), 1);
//!
//!     // Fixtures and assertions straight through diesel:
//!     let count: i64 = app.db(|conn| users::table.count().get_result(conn)).await;
//!     assert_eq!(count, 1);
//! }
//! ```

mod database;
mod owner;
mod response;
mod stock;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Method, Request};
use serde::Serialize;
use tower::ServiceExt;

pub use database::{TestDatabase, DATABASE_URL_VAR};
pub use response::TestResponse;

use crate::config::Config;
use crate::db::DbConnection;
use crate::loader::{self, Mounted};
use crate::migrate::{self, Target};
use crate::{db, AppState, Error, Project, Settings};

/// A project booted in-process on a fresh database, with a client that
/// calls its router directly (tower's `oneshot`: no port, no network).
///
/// Dropping it drops the database. See the [module documentation](self)
/// for a complete test of a project's app; here, a project without apps
/// written out by hand:
///
/// ```
/// use axum::http::StatusCode;
/// use fastapp_core::testing::TestApp;
///
/// static PROJECT: fastapp_core::Project = fastapp_core::Project {
///     crate_name: "demo", version: "0.1.0", config_file: "fastapp.toml", config: "apps = []", source_root: ".",
///     migrations: &[], external_apps: &[], diesel_except_tables: &[],
/// };
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let app = TestApp::boot(&PROJECT).await;
/// let response = app.get("/nothing-here").await;
/// assert_eq!(response.status(), StatusCode::NOT_FOUND);
/// let url = app.database().url().to_string();
/// drop(app); // the database goes with it
/// # if url.ends_with(".db") { assert!(!std::path::Path::new(&url).exists()); }
/// # }
/// ```
///
/// Every method at work, on an app with a table, a migration and four
/// routes. A project's apps get their registry entry from
/// `#[internal_app]` / `#[external_app]`; here it is written by hand.
///
/// ```
/// use axum::extract::{Path, State};
/// use axum::http::{Request, StatusCode};
/// use axum::{routing::get, Json};
/// use diesel::prelude::*;
/// use fastapp_core::registry::{AppEntry, AppKind, IntoRegistration, Location};
/// use fastapp_core::{migrate::Migration, testing::{TestApp, TestDatabase}, ApiError, AppContext, AppState, Project, Router};
///
/// diesel::table! { notes (id) { id -> Integer, body -> Text } }
///
/// async fn list(State(state): State<AppState>) -> Result<Json<Vec<(i32, String)>>, ApiError> {
///     Ok(Json(state.db(|conn| notes::table.order(notes::id).load(conn)).await?))
/// }
/// async fn create(State(state): State<AppState>, Json((id, body)): Json<(i32, String)>) -> Result<StatusCode, ApiError> {
///     let row = (notes::id.eq(id), notes::body.eq(body));
///     state.db(move |conn| diesel::insert_into(notes::table).values(row).execute(conn)).await?;
///     Ok(StatusCode::CREATED)
/// }
/// async fn update(State(state): State<AppState>, Path(id): Path<i32>, Json(body): Json<String>) -> Result<StatusCode, ApiError> {
///     let set = diesel::update(notes::table.find(id)).set(notes::body.eq(body));
///     match state.db(move |conn| set.execute(conn)).await? {
///         0 => Err(ApiError::new(StatusCode::NOT_FOUND, "no such note")),
///         _ => Ok(StatusCode::NO_CONTENT),
///     }
/// }
/// async fn remove(State(state): State<AppState>, Path(id): Path<i32>) -> Result<StatusCode, ApiError> {
///     state.db(move |conn| diesel::delete(notes::table.find(id)).execute(conn)).await?;
///     Ok(StatusCode::NO_CONTENT)
/// }
///
/// fn register(_ctx: &mut AppContext) -> Option<Router> {
///     Some(Router::new()
///         .route("/", get(list).post(create))
///         .route("/{id}", get(list).put(update).patch(update).delete(remove)))
/// }
///
/// static MIGRATIONS: [Migration; 1] = [Migration {
///     name: "2024-01-01-000001_create_notes", version: "20240101000001",
///     up: "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);",
///     down: Some("DROP TABLE notes;"), run_in_transaction: true,
/// }];
/// static NOTES: AppEntry = AppEntry {
///     name: "notes", kind: AppKind::External, default_prefix: None,
///     register: |ctx| register(ctx).into_registration(),
///     depends_on: &[], migrations: &MIGRATIONS, crate_name: "notes",
///     location: Location { file: "notes/src/lib.rs", line: 1 },
/// };
/// static PROJECT: Project = Project {
///     crate_name: "demo", version: "0.1.0", config_file: "fastapp.toml",
///     config: "apps = [\"notes\"]\n[settings]\npage_size = 20\n",
///     source_root: ".", migrations: &[], external_apps: &[&NOTES], diesel_except_tables: &[],
/// };
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let app = TestApp::builder(&PROJECT)
///     .apps(["notes"])
///     .setting("page_size", 5)
///     .database(TestDatabase::sqlite().unwrap())
///     .boot()
///     .await;
/// assert_eq!(app.settings().project["page_size"].as_integer(), Some(5));
/// assert_eq!(app.state().settings().database_url, app.database().url());
/// assert!(app.routes().any(|(name, route)| name == "notes" && route.to_string() == "DELETE /notes/{id}"));
///
/// app.post_json("/notes", &(1, "milk")).await.assert_status(StatusCode::CREATED);
/// app.put_json("/notes/1", &"oat milk").await.assert_ok();
/// app.patch_json("/notes/2", &"bread").await.assert_status(StatusCode::NOT_FOUND);
/// let listed: Vec<(i32, String)> = app.get("/notes").await.assert_ok().json();
/// assert_eq!(listed, [(1, "oat milk".to_string())]);
///
/// // Fixtures and assertions straight on the test's database.
/// app.db(|conn| diesel::insert_into(notes::table).values((notes::id.eq(2), notes::body.eq("eggs"))).execute(conn)).await;
/// app.delete("/notes/1").await.assert_status(StatusCode::NO_CONTENT);
/// let left: Vec<String> = app.db(|conn| notes::table.select(notes::body).load(conn)).await;
/// assert_eq!(left, ["eggs"]);
///
/// // Any request, as `serve` would take it.
/// let head = Request::head("/notes").body(axum::body::Body::empty()).unwrap();
/// assert_eq!(app.send(head).await.status(), StatusCode::OK);
/// app.shutdown().await; // the apps' shutdown hooks; the database goes with `app`
/// # }
/// ```
pub struct TestApp {
    mounted: Mounted,
    // Last: the database outlives the pool that points at it.
    database: TestDatabase,
}

impl std::fmt::Debug for TestApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestApp")
            .field("database", &self.database)
            .field("routes", &self.mounted.routes())
            .finish_non_exhaustive()
    }
}

/// How to boot a [`TestApp`]: which apps, which settings, which database
/// (the second example on [`TestApp`] uses every method).
///
/// ```
/// # static PROJECT: fastapp_core::Project = fastapp_core::Project {
/// #     crate_name: "demo", version: "0.1.0", config_file: "fastapp.toml", config: "apps = []", source_root: ".",
/// #     migrations: &[], external_apps: &[], diesel_except_tables: &[],
/// # };
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use fastapp_core::testing::TestApp;
/// // An app the project does not list: the findings say so (`app.E025`).
/// let err = TestApp::builder(&PROJECT).apps(["shop"]).try_boot().await.unwrap_err();
/// assert_eq!(err.findings()[0].id, "app.E025");
/// # }
/// ```
#[derive(Debug)]
#[must_use = "call .boot().await to start the app"]
pub struct TestAppBuilder {
    project: &'static Project,
    apps: Option<Vec<String>>,
    settings: toml::Table,
    database: Option<TestDatabase>,
    fresh_migrations: bool,
}

impl TestApp {
    /// Boots every app of `project` on a fresh database (see
    /// [`TestAppBuilder::boot`]); panics with fastapp's findings if it cannot.
    /// (See the examples on [`TestApp`].)
    pub async fn boot(project: &'static Project) -> TestApp {
        TestApp::builder(project).boot().await
    }

    /// A builder, to boot only some apps, override settings or choose the
    /// database. (See the second example on [`TestApp`].)
    pub fn builder(project: &'static Project) -> TestAppBuilder {
        TestAppBuilder {
            project,
            apps: None,
            settings: toml::Table::new(),
            database: None,
            fresh_migrations: false,
        }
    }

    /// The state handlers see (settings, pool, extensions).
    /// (Every method is at work in the second example on [`TestApp`].)
    pub fn state(&self) -> &AppState {
        &self.mounted.state
    }

    /// The effective settings.
    /// (Every method is at work in the second example on [`TestApp`].)
    pub fn settings(&self) -> &Settings {
        self.mounted.state.settings()
    }

    /// The test's database.
    /// (Every method is at work in the second example on [`TestApp`].)
    pub fn database(&self) -> &TestDatabase {
        &self.database
    }

    /// Every mounted route with its app, in mount order.
    /// (Every method is at work in the second example on [`TestApp`].)
    pub fn routes(&self) -> impl Iterator<Item = (&str, &crate::routes::Route)> {
        self.mounted
            .routes()
            .iter()
            .map(|(app, route)| (app.as_str(), route))
    }

    /// The project's router, with state, for requests the helpers below do
    /// not cover, or to serve it yourself.
    ///
    /// ```
    /// use tower::ServiceExt;
    /// # static PROJECT: fastapp_core::Project = fastapp_core::Project {
    /// #     crate_name: "demo", version: "0.1.0", config_file: "fastapp.toml", config: "apps = []", source_root: ".",
    /// #     migrations: &[], external_apps: &[], diesel_except_tables: &[],
    /// # };
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let app = fastapp_core::testing::TestApp::boot(&PROJECT).await;
    /// let request = axum::http::Request::get("/openapi.json").body(axum::body::Body::empty()).unwrap();
    /// assert!(app.router().oneshot(request).await.unwrap().status().is_success());
    /// # }
    /// ```
    pub fn router(&self) -> axum::Router {
        self.mounted.router()
    }

    /// Sends `request` through the router and reads the whole response.
    /// (Every method is at work in the second example on [`TestApp`].)
    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let described = format!("{} {}", request.method(), request.uri());
        // What `serve` serves, as it serves it.
        let response = match self.mounted.served().clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
        TestResponse::read(described, response).await
    }

    /// `GET path`.
    /// (Every method is at work in the second example on [`TestApp`].)
    pub async fn get(&self, path: &str) -> TestResponse {
        self.send(empty(Method::GET, path)).await
    }

    /// `DELETE path`.
    /// (Every method is at work in the second example on [`TestApp`].)
    pub async fn delete(&self, path: &str) -> TestResponse {
        self.send(empty(Method::DELETE, path)).await
    }

    /// `POST path` with `body` as JSON.
    /// (Every method is at work in the second example on [`TestApp`].)
    pub async fn post_json(&self, path: &str, body: &impl Serialize) -> TestResponse {
        self.send(json(Method::POST, path, body)).await
    }

    /// `PUT path` with `body` as JSON.
    /// (Every method is at work in the second example on [`TestApp`].)
    pub async fn put_json(&self, path: &str, body: &impl Serialize) -> TestResponse {
        self.send(json(Method::PUT, path, body)).await
    }

    /// `PATCH path` with `body` as JSON.
    /// (Every method is at work in the second example on [`TestApp`].)
    pub async fn patch_json(&self, path: &str, body: &impl Serialize) -> TestResponse {
        self.send(json(Method::PATCH, path, body)).await
    }

    /// Runs diesel work on a pooled connection of the test's database (for
    /// fixtures and assertions); panics with the database's message on error.
    /// (See the second example on [`TestApp`].)
    pub async fn db<F, T>(&self, work: F) -> T
    where
        F: FnOnce(&mut DbConnection) -> diesel::QueryResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let url = self.database.url().to_string();
        let pool = self.mounted.state.pool().clone();
        let result = tokio::task::spawn_blocking(move || {
            let mut conn = pool
                .get()
                .unwrap_or_else(|err| panic!("test database {url}: no connection: {err}"));
            work(&mut conn)
        })
        .await
        .unwrap_or_else(|err| std::panic::resume_unwind(err.into_panic()));
        result.unwrap_or_else(|err| panic!("test database query failed: {err}"))
    }

    /// Runs the apps' shutdown hooks (in reverse app order), as `serve` does
    /// after its last request. Dropping the app without calling this skips
    /// them. (See the second example on [`TestApp`].)
    pub async fn shutdown(mut self) {
        self.mounted.stop().await;
    }
}

impl TestAppBuilder {
    /// Boots only these apps (by name) and, transitively, the internal apps
    /// they use: only they are mounted, and only their migrations run (core's
    /// own shared migrations always run; a shared migration belongs to the
    /// apps whose models map the tables it touches, else to the app its name
    /// starts with — see [`Migration::owners`](crate::migrate::Migration::owners)).
    pub fn apps<I, S>(mut self, apps: I) -> TestAppBuilder
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.apps = Some(apps.into_iter().map(Into::into).collect());
        self
    }

    /// Overrides one `[settings]` value (a built-in such as `debug` or a
    /// project key), as if `fastapp.toml` said so. `database_url` is the
    /// test database's and cannot be overridden here: use [`database`](Self::database).
    ///
    /// Handlers see the override through `AppState::settings()`,
    /// `State<Arc<Settings>>` and the apps' `ctx.settings()`. The global
    /// `fastapp_core::settings::get_settings()` is process-wide and keeps the
    /// first booted app's settings, so tests that override settings should
    /// not rely on it.
    pub fn setting(mut self, key: &str, value: impl Into<toml::Value>) -> TestAppBuilder {
        self.settings.insert(key.to_string(), value.into());
        self
    }

    /// Uses `database` instead of [`TestDatabase::from_env`]; the
    /// migrations run on it.
    pub fn database(mut self, database: TestDatabase) -> TestAppBuilder {
        self.database = Some(database);
        self
    }

    /// Runs the migrations on the test's database itself, as `serve` would,
    /// instead of copying the process's migrated template: for tests of
    /// the migrations themselves (what they log, how long they take, a
    /// migration that fails). Either way the test sees the same fresh,
    /// migrated database.
    ///
    /// ```
    /// # static PROJECT: fastapp_core::Project = fastapp_core::Project {
    /// #     crate_name: "demo", version: "0.1.0", config_file: "fastapp.toml", config: "apps = []", source_root: ".",
    /// #     migrations: &[], external_apps: &[], diesel_except_tables: &[],
    /// # };
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let app = fastapp_core::testing::TestApp::builder(&PROJECT).fresh_migrations().boot().await;
    /// # }
    /// ```
    pub fn fresh_migrations(mut self) -> TestAppBuilder {
        self.fresh_migrations = true;
        self
    }

    /// Boots the app; panics with fastapp's findings (rule id, app, location,
    /// fix) when it cannot, which fails the test with a readable message.
    pub async fn boot(self) -> TestApp {
        match self.try_boot().await {
            Ok(app) => app,
            Err(err) => panic!("fastapp test app did not boot:\n{err}"),
        }
    }

    /// Boots the app: reads the settings, resolves the (selected) apps,
    /// gives the test its database, migrated, mounts the apps and runs their
    /// start-up hooks.
    ///
    /// The database is a copy of a template this process migrated once for
    /// the same migrations (the [module documentation](self) says how),
    /// unless the test gave one ([`database`](Self::database)) or asked for
    /// [`fresh_migrations`](Self::fresh_migrations): then the migrations
    /// run on it after mounting, in `serve`'s order.
    pub async fn try_boot(self) -> Result<TestApp, Error> {
        let project = self.project;
        let config = Config::parse(project.config_file, project.config)?;
        let mut values = config.settings.clone();
        values.extend(self.settings);
        // The test's database, below, takes the place of this one.
        values.insert("database_url".into(), "fastapp-test.db".into());
        let mut settings = Settings::layered(&values, |_| None)?;

        let resolved = loader::resolve(project, &config)?;
        let selected = match &self.apps {
            Some(names) => {
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                loader::with_dependencies(&resolved.apps, &names)?
            }
            None => resolved.apps.clone(),
        };
        let sets = loader::migration_sets_of(project, &config, &resolved.apps, &selected)?;
        let all = loader::migration_sets(project, &config, &resolved.apps)?;
        let lock_wait = std::time::Duration::from_secs(settings.migrate_lock_timeout);
        let migrations = Arc::new(Migrations { sets, all, lock_wait });
        let (mut database, migrated) = match self.database {
            Some(database) => (database, false),
            None if self.fresh_migrations => (TestDatabase::from_env()?, false),
            None => {
                let migrations = migrations.clone();
                let database = blocking(move || {
                    let key = stock::key(&migrations.sets, &migrations.all);
                    TestDatabase::from_template(&key, &|url| migrations.run(url))
                })
                .await?;
                (database, true)
            }
        };
        settings.database_url = database.url().to_string();
        // `get_settings()` is process-wide: the first booted app's settings.
        crate::settings::install(settings.clone());
        let pool = database.pool(std::time::Duration::from_secs(settings.db_timeout));
        // As `serve` does: register and mount, then migrate, then start; and
        // mount outside the async runtime, as `serve` does, so a `register`
        // that needs one fails here as it would in production.
        let settings = Arc::new(settings);
        let mut mounted = std::thread::scope(|scope| {
            scope
                .spawn(|| loader::mount(project, &selected, settings, pool))
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })?;
        if !migrated {
            let url = database.url().to_string();
            blocking(move || migrations.run(&url)).await?;
        }
        mounted.start().await?;
        Ok(TestApp { mounted, database })
    }
}

/// The migrations a boot applies, and how.
struct Migrations {
    sets: Vec<migrate::MigrationSet>,
    all: Vec<migrate::MigrationSet>,
    lock_wait: std::time::Duration,
}

impl Migrations {
    /// Applies them to the database at `url`, under the migration lock.
    fn run(&self, url: &str) -> Result<(), Error> {
        let mut conn = db::connect(url)?;
        migrate::with_lock(url, &mut conn, self.lock_wait, |conn| {
            migrate::migrate(conn, &self.sets, &self.all, Target::Latest)
        })
        .map(drop)
    }
}

/// `work` on tokio's blocking threads, its panic carried back.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|err| std::panic::resume_unwind(err.into_panic()))
}

fn empty(method: Method, path: &str) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(path)
        .body(Body::empty())
        .unwrap_or_else(|err| panic!("invalid request path `{path}`: {err}"))
}

fn json(method: Method, path: &str, body: &impl Serialize) -> Request<Body> {
    let body =
        serde_json::to_vec(body).unwrap_or_else(|err| panic!("the request body does not serialise: {err}"));
    Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .unwrap_or_else(|err| panic!("invalid request path `{path}`: {err}"))
}
