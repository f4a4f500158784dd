//! The rules checked at start-up and by the project's `check` command.

use super::rule::{Rule, Stage};

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "app.E010",
        aliases: &[],
        stage: Stage::Start,
        title: "a listed app is not linked into the binary",
        why: "Every entry of `apps` needs a registry entry in the binary: an internal app's `#[internal_app]` in a module declared in src/apps/mod.rs, or an external app's `#[external_app]` crate, a dependency of the link package. A listed app that is not linked could be neither mounted nor migrated; the message lists the apps that are linked.",
        fix: "create src/apps/<name>/mod.rs with `#[fastapp_core::internal_app] pub fn register(..)` and declare `pub mod <name>;` in src/apps/mod.rs (for an external app: add the crate to the link package's [dependencies]), or remove it from `apps`",
        example: r#"# fastapp.toml
apps = ["apps.accounts", "apps.shop"]

// src/apps/mod.rs
pub mod accounts;          // no `pub mod shop;`, no src/apps/shop/"#,
    },
    Rule {
        id: "app.E011",
        aliases: &[],
        stage: Stage::Start,
        title: "an app's `register` failed or panicked",
        why: "Registration builds every app's routes, state and hooks before anything is served or migrated, so a `register` that returns an error or panics (a missing setting, a route conflict inside the app, a `ctx.nest` path axum refuses) stops start-up naming the app, and the database is left untouched.",
        fix: "fix the app's register function at the location given (the message carries its error or panic)",
        example: r#"// src/apps/billing/mod.rs
#[fastapp_core::internal_app]
pub fn register(ctx: &mut AppContext) -> Result<Option<Router>, String> {
    match ctx.settings().project.get("billing_api_key") {
        Some(_) => Ok(Some(Router::new())),
        None => Err("setting `billing_api_key` is missing".into()),
    }
}"#,
    },
    Rule {
        id: "app.E012",
        aliases: &[],
        stage: Stage::Start,
        title: "an app is listed twice in `apps`",
        why: "`apps` is the mount, register and migration order: an app listed twice would be mounted twice, its routes clashing with themselves, and has no single place in that order.",
        fix: "remove the second entry from `apps`",
        example: r#"# fastapp.toml
apps = [
    "apps.accounts",
    "apps.blog",
    "apps.accounts",
]"#,
    },
    Rule {
        id: "app.E013",
        aliases: &[],
        stage: Stage::Start,
        title: "two apps have the same name",
        why: "An app's name keys its `[app.<name>]` table, its routes' `app`, its migrations and every message about it; an internal app and an external app (or two external crates) of one name could not be told apart.",
        fix: "rename one of them (an external app's name is `name` in [package.metadata.fastapp] of its Cargo.toml)",
        example: r#"# fastapp.toml: src/apps/newsletter/ is an internal app, and the
# newsletter crate's [package.metadata.fastapp] says name = "newsletter"
apps = ["apps.newsletter", "newsletter"]"#,
    },
    Rule {
        id: "app.E014",
        aliases: &[],
        stage: Stage::Start,
        title: "an internal app's name in `apps` is invalid",
        why: r#"An internal app is listed as `"apps.<name>"`, `<name>` being its directory and module under src/apps/, so it must be a lower-case Rust identifier, `[a-z][a-z0-9_]*`."#,
        fix: "write the app's name in lower-case letters, digits and `_`, as its directory under src/apps/ is named (e.g. `apps.blog_posts`)",
        example: r#"# fastapp.toml
apps = ["apps.accounts", "apps.Blog-Posts"]"#,
    },
    Rule {
        id: "app.E015",
        aliases: &[],
        stage: Stage::Start,
        title: "an app's prefix is invalid",
        why: r#"A prefix is the fixed path an app's routes are nested under: `""` (the root) or `/` and segments of letters, digits, `-`, `.`, `_` and `~`. `{parameters}`, wildcards, spaces, a trailing `/` and `.`/`..` segments are refused, as they name no one fixed place for the app's routes."#,
        fix: r#"write a prefix such as `prefix = "/blog"` (the message suggests one) in the app's `[app.<name>]` table"#,
        example: r#"# fastapp.toml
apps = ["apps.blog"]

[app.blog]
prefix = "/{tenant}/blog""#,
    },
    Rule {
        id: "route.E016",
        aliases: &[],
        stage: Stage::Start,
        title: "two apps register the same method and path pattern",
        why: "axum's router panics on a duplicate route at start-up; fastapp names both apps instead, before anything is served. `/items/{id}` and `/items/{item_id}` are the same pattern, and a route for any method clashes with every method at its path.",
        fix: r#"give one of the apps another `prefix` in fastapp.toml (e.g. `[app.<name>] prefix = "/<name>"`), or change one of the routes"#,
        example: r#"# fastapp.toml
apps = ["apps.blog", "apps.news"]

[app.blog]
prefix = "/posts"

[app.news]
prefix = "/posts"
# both apps register `GET /`"#,
    },
    Rule {
        id: "route.E017",
        aliases: &[],
        stage: Stage::Start,
        title: "two apps' paths cannot both be routed by axum, whatever their methods",
        why: "axum's router cannot hold the same path with its parameters named differently (`/items/{id}` vs `/items/{item_id}`), or a catch-all where the other has a parameter (`/files/{*path}` vs `/files/{id}`), even for different methods. Parameters named differently in paths that part ways later (`/items/{id}/a`, `/items/{item_id}/b`) are fine, as axum routes both; a property test checks these rules against axum itself.",
        fix: "use the same parameter names for the same path, turn the catch-all into a static segment or parameter, or give one app another prefix",
        example: r#"# fastapp.toml
apps = ["apps.shop", "apps.stock"]
[app.stock]
prefix = "/shop"

// src/apps/shop/mod.rs:   Router::new().route("/items/{id}", get(handlers::show))
// src/apps/stock/mod.rs:  Router::new().route("/items/{item_id}", put(handlers::restock))"#,
    },
    Rule {
        id: "graph.E018",
        aliases: &[],
        stage: Stage::Start,
        title: "internal apps depend on each other in a cycle",
        why: "What internal apps use of each other must go one way, so that each app can be understood, tested (the test kit boots an app with the apps it uses) and extracted on its own; a cycle, found from what the apps' code uses, ties them into one.",
        fix: "move what the apps share into core (or into one of them) so that the references go one way",
        example: r#"# fastapp.toml
apps = ["apps.accounts", "apps.blog"]
[app.accounts]
uses = ["blog"]
[app.blog]
uses = ["accounts"]
# accounts' code uses crate::apps::blog::api, blog's uses crate::apps::accounts::api"#,
    },
    Rule {
        id: "model.E019",
        aliases: &[],
        stage: Stage::Start,
        title: "models of two apps map the same table",
        why: "A table belongs to one app: its migrations, the test kit's `.apps([...])`, the `uses` check and `app extract` all follow ownership through `#[model]`, and two apps' models on one table would give it two owners (external apps' tables are counted within their own schema).",
        fix: "keep the table's #[model]s in one app and let the others call its functions (through its `api`)",
        example: r#"// src/apps/shop/models.rs
#[fastapp_core::model(table = things)]
pub struct Thing { pub id: i32 }

// src/apps/stock/models.rs
#[fastapp_core::model(table = things)]
pub struct StockedThing { pub id: i32 }"#,
    },
    Rule {
        id: "settings.E020",
        aliases: &[],
        stage: Stage::Start,
        title: "a setting has the wrong type or is out of range",
        why: "Settings are read once, at start-up, from fastapp.toml `[settings]`, `.env` and the environment, and a bad value is refused there, naming where it came from, rather than failing later. This includes a `database_url` that is empty (also `DATABASE_URL=`), an in-memory SQLite database (each pooled connection would get its own), a libpq `key=value` string instead of a `postgres://` URL, a backend not built in, an `openapi_path` / `docs_path` / `health_path` / `ready_path` / `metrics_path` that is not a path or two of them the same, `db_timeout = 0`, and a variable that is not UTF-8.",
        fix: "give the setting a value of its type and range where the message says it came from (fastapp.toml, `.env:<line>` or the environment variable)",
        example: r#"# fastapp.toml
[settings]
port = 70000
docs_path = "docs"

$ DATABASE_URL=":memory:" cargo run -- migrate"#,
    },
    Rule {
        id: "settings.E021",
        aliases: &[],
        stage: Stage::Start,
        title: "the project's settings type does not fit its `[settings]`",
        why: "A project reads its own keys typed (`settings.get::<SiteSettings>()`); a key the type needs that `[settings]` (or its `APP_` variable) does not give, or a value of another type, is reported naming the type and the key rather than left to a handler.",
        fix: "add the missing key to fastapp.toml [settings] (or its environment variable), or fix its type",
        example: r#"// src/core/settings.rs
#[derive(serde::Deserialize)]
struct SiteSettings { page_size: i64, api_token: fastapp_core::Secret<String> }

# fastapp.toml
[settings]
page_size = "twenty"        # and no api_token"#,
    },
    Rule {
        id: "schema.E022",
        aliases: &[],
        stage: Stage::Start,
        title: "an external app's table is missing from diesel.toml's `except_tables`",
        why: "The shared schema.rs is written by the diesel CLI from the whole database, so a table an external app's migrations create must be filtered out of it; otherwise `diesel migration run` would write it into the shared schema.rs, where core and internal apps could map a table that is not theirs.",
        fix: "add the table to `[print_schema] filter = { except_tables = [...] }` in the project's diesel.toml",
        example: r#"# diesel.toml
[print_schema]
file = "src/core/schema.rs"
filter = { except_tables = [] }

-- newsletter/migrations/2024-01-01-000001_create_subscribers/up.sql
CREATE TABLE subscribers (id TEXT PRIMARY KEY, email TEXT NOT NULL);"#,
    },
    Rule {
        id: "app.E023",
        aliases: &[],
        stage: Stage::Start,
        title: "an app's start-up hook failed or panicked",
        why: "Start-up hooks (`ctx.on_startup`) run after migrations, before the first request; one that fails means its app is not ready, so `serve` (and the test kit) stop naming the app and the hook instead of serving a half-started app.",
        fix: "fix the hook registered with ctx.on_startup in the app's register function",
        example: r#"// src/apps/catalog/mod.rs
#[fastapp_core::internal_app]
pub fn register(ctx: &mut AppContext) -> Option<Router> {
    ctx.on_startup(|_state| async move { Err("cache warm-up failed".into()) });
    None
}"#,
    },
    Rule {
        id: "settings.E024",
        aliases: &[],
        stage: Stage::Start,
        title: "`.env` cannot be read",
        why: "`.env` in the working directory overrides fastapp.toml's settings, so a malformed one is an error rather than skipped: a value you meant is never silently replaced by a default. Refused: a line that does not parse (no `=`, an unclosed quote), a `.env` that is not a file, and a value holding a NUL character; the message names the key and line, never the value.",
        fix: "write one `KEY=value` per line (quote values with spaces or `#`, and close every quote)",
        example: r#"# .env
PORT 8000
DATABASE_URL="app.db"#,
    },
    Rule {
        id: "app.E025",
        aliases: &[],
        stage: Stage::Start,
        title: "an app named in a test is not a listed app",
        why: "`TestApp::builder(..).apps([..])` boots the named apps with the internal apps they use and runs only their migrations; a name that is no listed app (a typo, an app not in `apps`) must not boot some other set silently. Commands that name an app say `migration.E046` instead.",
        fix: "name an app listed in fastapp.toml (the message lists them)",
        example: r#"# fastapp.toml
apps = ["apps.accounts", "apps.shop"]

// src/tests.rs
let app = TestApp::builder(&crate::PROJECT).apps(["shops"]).boot().await;"#,
    },
    Rule {
        id: "db.E030",
        aliases: &[],
        stage: Stage::Start,
        title: "the database cannot be opened",
        why: "Every command that needs the database (`serve`, `migrate`, `check --database`, the test kit) connects first and stops with the URL (password redacted) and the database's own message (scrubbed of secrets), instead of failing mid-request or mid-migration. It also covers a database that cannot be read as migrating needs, such as a PostgreSQL role that may create no table while migrations are pending.",
        fix: "check DATABASE_URL (or `database_url` in fastapp.toml [settings]) and that the database server is running",
        example: r#"$ DATABASE_URL=postgres://app:pw@127.0.0.1:1/shop cargo run -- migrate
$ DATABASE_URL=/nonexistent/dir/app.db cargo run -- check --database"#,
    },
    Rule {
        id: "app.E032",
        aliases: &[],
        stage: Stage::Start,
        title: "`[app.<name>] uses` names something that is not a listed internal app",
        why: "`uses` lists, by name (without `apps.`), the internal apps an internal app may use: an entry that is no listed internal app, or the app itself, declares nothing real. External apps use fastapp's public API only, never another app, so `uses` on an external app is refused too.",
        fix: "name internal apps listed in `apps` (without `apps.`), or remove `uses` from an external app's table",
        example: r#"# fastapp.toml
apps = ["apps.accounts", "apps.blog", "newsletter"]

[app.blog]
uses = ["apps.accounts", "blog"]

[app.newsletter]
uses = []"#,
    },
    Rule {
        id: "route.E033",
        aliases: &[],
        stage: Stage::Start,
        title: "an app has a route at fastapp's health, readiness or metrics path",
        why: "fastapp serves `health_path` (`/healthz`), `ready_path` (`/readyz`) and, with `metrics = true`, `metrics_path` (`/metrics`) itself; an app route at one of them, or one that shares its requests, would be shadowed or would break the balancer's checks. Also raised when fastapp's own routes cannot be mounted at all.",
        fix: "set that path's setting (`health_path`, `ready_path` or `metrics_path`) in fastapp.toml [settings] to a free path, or move the app's route",
        example: r#"# fastapp.toml
[app.status]
prefix = ""

// src/apps/status/mod.rs
Some(Router::new().route("/healthz", get(handlers::deep_health)))"#,
    },
    Rule {
        id: "config.E034",
        aliases: &["config.E001"],
        stage: Stage::Start,
        title: "`fastapp.toml` (or `diesel.toml`) does not parse, or has an unknown key",
        why: r#"fastapp.toml is baked into the binary by `project!()` (and read again from `FASTAPP_CONFIG`): a syntax error, a value of the wrong type or an unknown key, often a typo that would silently do nothing, is refused with its `file:line:column` and a "did you mean". It is reported at compile time as at start-up, and by `cargo fastapp` for fastapp.toml and diesel.toml."#,
        fix: "correct the key or value at that position (the message suggests the key you likely meant; the README lists every key)",
        example: r#"# fastapp.toml
apps = ["apps.blog", "newsletter"]

[migrations]            # did you mean `migration`?
order = ["core", "newsletter"]"#,
    },
    Rule {
        id: "config.E035",
        aliases: &["config.E002"],
        stage: Stage::Start,
        title: "`[app.<name>]` configures an app that is not listed",
        why: "An `[app.<name>]` table configures a listed app by its name; one for no listed app (a typo, an app taken out of `apps`, a crate name instead of the app's) would be ignored, its `prefix` or `uses` silently never applied.",
        fix: "add the app to `apps`, or fix the table name (it is the app's name, not its crate)",
        example: r#"# fastapp.toml
apps = ["apps.blog"]

[app.blgo]
prefix = "/posts""#,
    },
    Rule {
        id: "config.E036",
        aliases: &["config.E003"],
        stage: Stage::Start,
        title: "`[migration] order` does not name `core` and every external app exactly once",
        why: "`[migration] order` sets the order in which the migration sets run: `core` (the shared migrations of core and internal apps) and each external app's own. A set left out, named twice, or a name that owns no migrations would leave the run order undefined.",
        fix: "list each migration owner once: `core` (core and internal apps) and every external app's name, in the order they should run",
        example: r#"# fastapp.toml
apps = ["apps.blog", "newsletter"]

[migration]
order = ["newsletter"]"#,
    },
    Rule {
        id: "route.E038",
        aliases: &["route.E099"],
        stage: Stage::Start,
        title: "an app's routes cannot be read from this axum version",
        why: "axum has no route-listing API, so fastapp reads its routers' `Debug` output, whose format is pinned by tests against the axum in fastapp's Cargo.lock. With another axum version `routes` and `check` fail; `serve` and the test kit do not read the table and serve anyway, axum's own conflict check standing in (its panic on a clash is reported as `route.E016`, naming both apps).",
        fix: "pin axum to the version in fastapp's Cargo.lock (serving goes on meanwhile, with axum's own conflict check)",
        example: r#"$ cargo update -p axum        # to an axum 0.8.x newer than fastapp's Cargo.lock
$ cargo run -- routes"#,
    },
    Rule {
        id: "check.E070",
        aliases: &[],
        stage: Stage::Start,
        title: "`[check] silence` names an id that is not a rule",
        why: r#"A typo in `silence` would silence nothing, without a word; every entry is checked against the rules (renamed ids included) with a "did you mean"."#,
        fix: "correct the id (the message suggests the closest rule; `cargo fastapp explain` lists every rule)",
        example: r#"# fastapp.toml
[check]
silence = ["app.W01"]"#,
    },
    Rule {
        id: "check.E071",
        aliases: &[],
        stage: Stage::Start,
        title: "`[check] silence` names an error",
        why: "Only warnings can be silenced: errors also stop `serve`, so they are fixed, not silenced.",
        fix: "fix what the error reports (run `check`), and remove its id from `silence`",
        example: r#"# fastapp.toml
[check]
silence = ["route.E016"]"#,
    },
    Rule {
        id: "openapi.E072",
        aliases: &[],
        stage: Stage::Start,
        title: "two apps define one OpenAPI component differently, or document the same operation",
        why: "fastapp merges every listed app's OpenAPI part into one document, each path under its app's prefix and the components joined; a component name two apps define differently, or an operation (method and path) two apps document, has no single meaning there. Also reported by `check`; with `openapi = false` only the `openapi` command reports it.",
        fix: "rename one of the components (utoipa: `#[schema(as = <app>::<Name>)]`) or make both apps use one shared type; document each route in the app that serves it",
        example: r#"// src/apps/shop/models.rs
#[derive(utoipa::ToSchema)]
pub struct Item { pub id: String, pub name: String }

// src/apps/stock/models.rs
#[derive(utoipa::ToSchema)]
pub struct Item { pub id: String, pub quantity: i32 }"#,
    },
    Rule {
        id: "openapi.E073",
        aliases: &[],
        stage: Stage::Start,
        title: "an app has a route at the OpenAPI document's or the docs page's path",
        why: "With `openapi = true` fastapp serves the merged document at `openapi_path` (`/openapi.json`) and Swagger UI at `docs_path` (`/docs`, the app graph at `<docs_path>/apps`); an app route at either path, or one sharing its requests, would be shadowed. Also raised when the two cannot be mounted (the same path, in `Settings` made by hand).",
        fix: "set `openapi_path` / `docs_path` in fastapp.toml [settings] to free paths (or `openapi = false`), or move the app's route",
        example: r#"# fastapp.toml
[app.handbook]
prefix = ""

// src/apps/handbook/mod.rs
Some(Router::new().route("/docs", get(handlers::index)))"#,
    },
    Rule {
        id: "openapi.E074",
        aliases: &[],
        stage: Stage::Start,
        title: "the merged OpenAPI document is not valid OpenAPI",
        why: "The document served at `openapi_path` and printed by `openapi` is meant for clients, generators and Swagger UI; when the apps' parts merge into a document that is not valid OpenAPI (through an app's hand-written part), start-up stops instead of serving it.",
        fix: "check the apps' OpenAPI parts (utoipa) for hand-written JSON",
        example: r#"// src/apps/shop/mod.rs: a part written by hand rather than derived with utoipa
let api: utoipa::openapi::OpenApi = serde_json::from_str(include_str!("openapi.json"))?;
ctx.document(api);"#,
    },
    Rule {
        id: "cli.E080",
        aliases: &[],
        stage: Stage::Start,
        title: "the command line cannot be parsed",
        why: r#"An unknown command or flag, a bad value (`--port abc`, a port over 65535, an unknown `--format`) or an argument that is not UTF-8 is reported like any other finding: clap's message, its "did you mean" and tips, and the usage, with exit status 1. `explain` with an id that is no rule says this too."#,
        fix: "correct the command line as the message suggests (`<command> --help` shows the usage)",
        example: r#"$ cargo run -- serv
$ cargo run -- serve --port abc
$ cargo fastapp explain db.E03"#,
    },
    Rule {
        id: "io.E090",
        aliases: &[],
        stage: Stage::Start,
        title: "a file, directory or port cannot be used",
        why: "Reading, writing or binding failed for a reason outside fastapp (a port in use, a path that does not exist or is not writable, a diesel CLI that is not installed); the finding names the path or address. `serve` binds its port before it migrates, so a taken port leaves the database as it was, and `cargo fastapp` removes what it had created, so nothing stays behind.",
        fix: "stop the server using the port, or pass another with --port (or PORT; 0 picks a free one); for a file, check that the path exists and is writable",
        example: r#"$ cargo run -- serve --port 8000 &
$ cargo run -- serve --port 8000"#,
    },
    Rule {
        id: "app.W001",
        aliases: &[],
        stage: Stage::Start,
        title: "an internal app is linked but not listed, so it is not mounted",
        why: "An internal app whose module is compiled in (`pub mod shop;` in src/apps/mod.rs) but missing from `apps` is never registered: none of its routes is served. Often an app just created by hand, or one taken out of `apps` and forgotten.",
        fix: r#"add "apps.<name>" to `apps` to mount it (or silence `app.W001` if it is meant to stay off)"#,
        example: r#"# fastapp.toml
apps = ["apps.accounts"]

// src/apps/mod.rs
pub mod accounts;
pub mod shop;"#,
    },
    Rule {
        id: "app.W002",
        aliases: &[],
        stage: Stage::Start,
        title: "an app uses an internal app that is not listed",
        why: "An app's code uses another internal app (found by fastapp's scan) that is not in `apps`, so that app's `register` never runs: its routes, the state it provides and its start-up hooks are missing for the app that relies on it.",
        fix: r#"add "apps.<dependency>" to `apps`, before the app that uses it"#,
        example: r#"# fastapp.toml
apps = ["apps.blog"]

// src/apps/blog/handlers.rs
use crate::apps::accounts::api::User;"#,
    },
    Rule {
        id: "check.W003",
        aliases: &[],
        stage: Stage::Start,
        title: "a `[check] silence` entry silences nothing any more",
        why: "A stale entry would hide the warning again if it came back, unnoticed. Silence `check.W003` itself to keep stale entries quiet.",
        fix: "remove the id from `silence` in fastapp.toml",
        example: r#"# fastapp.toml: every internal app is listed now
[check]
silence = ["app.W001"]"#,
    },
    Rule {
        id: "graph.W004",
        aliases: &[],
        stage: Stage::Start,
        title: "an internal app declares in `uses` an app its code does not use",
        why: "`uses` should say what the app really depends on: a declared, unused dependency allows uses nobody meant and draws an edge in `apps graph` that is not there.",
        fix: "remove the app from `uses` under `[app.<name>]` in fastapp.toml",
        example: r#"# fastapp.toml: blog's code never uses shop
[app.blog]
uses = ["accounts", "shop"]"#,
    },
    Rule {
        id: "app.W005",
        aliases: &[],
        stage: Stage::Start,
        title: "an internal app declares no `uses`, so it may use any internal app",
        why: "Without `uses` an internal app is unrestricted: nothing holds what it may depend on, and a new dependency goes unnoticed. The fix gives the exact line to write, from what its code uses today.",
        fix: "declare its dependencies: write the `uses = [...]` line the message gives under `[app.<name>]` in fastapp.toml (`uses = []` for none)",
        example: r#"# fastapp.toml
apps = ["apps.accounts", "apps.blog"]

[app.accounts]
uses = []
# no `uses` for blog"#,
    },
];
