//! The rules fastapp's macros check at compile time.

use super::rule::{Rule, Stage};

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "config.E000",
        aliases: &[],
        stage: Stage::Compile,
        title: "fastapp.toml, diesel.toml or a Cargo.toml cannot be found or read at compile time",
        why: "fastapp's macros read the project's fastapp.toml, diesel.toml and Cargo.toml, and each external app's `[package.metadata.fastapp]`, while compiling: without them nothing can be checked, embedded or linked. Raised for no `fastapp.toml` above the file, a file that cannot be read, unknown keys in `[package.metadata.fastapp]`, an external app's configured migrations directory that does not exist, or a diesel.toml whose schema file is at no module path; a fastapp.toml that does not parse is `config.E034`.",
        fix: r#"create `fastapp.toml` next to the project's Cargo.toml (e.g. `apps = ["apps.blog"]`), or make the file the message names readable, valid TOML with only the keys fastapp knows (`[package.metadata.fastapp]`: `name`, `prefix`, `migrations`)"#,
        example: r#"# newsletter/Cargo.toml (an external app crate)
[package.metadata.fastapp]
name = "newsletter"
prefx = "/news"         # unknown key"#,
    },
    Rule {
        id: "isolation.E001",
        aliases: &[],
        stage: Stage::Compile,
        title: "an internal app names an external app crate",
        why: r#"Internal apps may use core and other internal apps, never an external app. The project package does not even depend on one (only its link package does), so rustc refuses every such reference; fastapp's scan reports the shapes it is sure of (`use` trees, types, expressions, `extern crate`, a renamed crate, …) with the `file:line:col` and a clearer message (see "Boundaries between apps" in the README)."#,
        fix: "remove the reference to the external app: move the code that needs both apps into core or into the external app itself, or share data through core's models instead",
        example: r#"# fastapp.toml
apps = ["apps.accounts", "apps.blog", "newsletter"]

// src/apps/blog/handlers.rs
use newsletter::Subscriber;"#,
    },
    Rule {
        id: "isolation.E002",
        aliases: &[],
        stage: Stage::Compile,
        title: "an internal app declares its own `table!`",
        why: "Tables of core and internal apps live in one shared schema module, written by the diesel CLI from the shared migrations. A `table!` inside an app would be a second, hand-kept description of the database that no migration makes and `diesel print-schema` knows nothing of.",
        fix: "delete this `table!`; add a migration for the table (`diesel migration generate`), run it, and let `diesel migration run` write the table into the shared schema",
        example: r#"// src/apps/blog/mod.rs
diesel::table! {
    drafts (id) {
        id -> Text,
        body -> Text,
    }
}"#,
    },
    Rule {
        id: "model.E003",
        aliases: &[],
        stage: Stage::Compile,
        title: "a model's table path is outside its crate's schema module",
        why: "A model's table belongs to the schema module of the crate that owns it (diesel.toml's `[print_schema] file`): apps never map another crate's tables. A `#[model]` without a table is refused too; `self::`/`super::` paths are left to rustc, which checks they name the schema's table.",
        fix: "write the table's name as the schema declares it, e.g. `#[model(table = users)]`; if the table belongs to another app, use that app's public API (its `api` module) instead",
        example: r#"// src/apps/blog/models.rs
#[fastapp_core::model(table = crate::apps::accounts::users)]
pub struct Author {
    pub id: String,
    pub username: String,
}"#,
    },
    Rule {
        id: "model.E004",
        aliases: &[],
        stage: Stage::Compile,
        title: "a model's table is not declared by the schema",
        why: r#"`#[model]` maps a table of its crate's schema module. A name the module does not declare (a typo, or a table whose migration has not run yet) would otherwise surface as a puzzling diesel type error; fastapp lists the declared tables and suggests the closest one ("did you mean")."#,
        fix: "correct the table's name (the message suggests the closest one), or create the table with a migration and run `diesel migration run` to regenerate the schema",
        example: r#"// src/apps/blog/models.rs
#[fastapp_core::model(table = post)]      // src/core/schema.rs declares `posts`
pub struct Post {
    pub id: String,
    pub title: String,
}"#,
    },
    Rule {
        id: "link.E005",
        aliases: &[],
        stage: Stage::Compile,
        title: "an external app listed in fastapp.toml is not a dependency of the link package",
        why: "External apps are linked into the binary through the project's link package (`link/`, package `<project>-link`, whose whole source is `fastapp_core::link!();`), which depends on every external app in `apps`. Without that dependency the app's registry entry is never linked, so it could be neither mounted nor migrated (the project package itself never depends on one).",
        fix: r#"add `<app> = { path = "../<app>" }` (or a version) under [dependencies] in link/Cargo.toml, or remove the app from `apps` in fastapp.toml"#,
        example: r#"# fastapp.toml
apps = ["apps.blog", "mailer"]

# link/Cargo.toml
[dependencies]
fastapp-core = "0.1"
# no `mailer = { path = "../mailer" }`"#,
    },
    Rule {
        id: "app.E006",
        aliases: &[],
        stage: Stage::Compile,
        title: "an app's name or prefix, as its macro or manifest gives it, is invalid",
        why: r#"App names are lower-case Rust identifiers, `[a-z][a-z0-9_]*`: they name modules, crates, version tables and `[app.<name>]` tables. An internal app's name is its directory under src/apps/, an external app's the `name` in `[package.metadata.fastapp]` (else its crate name); a prefix in `#[internal_app(prefix = …)]`, `#[external_app(prefix = …)]` or `[package.metadata.fastapp]` is `""` (the root) or `/` and path segments of letters, digits, `-`, `.`, `_` and `~`, without a trailing `/` (no `{parameters}`, wildcards, spaces, or `.`/`..` segments)."#,
        fix: r#"rename the app to a lower-case identifier (the message suggests one), or write a valid prefix such as `prefix = "/blog"`"#,
        example: r#"// src/apps/blog/mod.rs
#[fastapp_core::internal_app(prefix = "blog/")]
pub fn register(ctx: &mut AppContext) -> Option<Router> {
    Some(Router::new().route("/posts", get(handlers::list_posts)))
}"#,
    },
    Rule {
        id: "migration.E007",
        aliases: &[],
        stage: Stage::Compile,
        title: "a migrations directory is malformed, has a duplicate version, or an invalid metadata.toml",
        why: "`project!()` and `#[external_app]` embed the migrations at compile time. A migration is a directory `<version>_<name>` holding `up.sql`, an optional `down.sql` and an optional `metadata.toml` with only `run_in_transaction = <bool>`; a directory without a numeric version or without `up.sql`, two directories with one version, or a metadata.toml diesel would silently ignore would leave the run order or its behaviour to chance.",
        fix: "name the directory like `2024-01-31-120000_create_posts` (what `diesel migration generate` does), give duplicate versions distinct timestamps, add `up.sql`, and keep metadata.toml to `run_in_transaction = true` or `false`",
        example: r#"$ ls migrations/
2024-01-01-000001_accounts_create_users/
create_things/                 # no version

// src/main.rs
fastapp_core::project!();"#,
    },
    Rule {
        id: "isolation.E008",
        aliases: &[],
        stage: Stage::Compile,
        title: "an app uses `fastapp_core::__private`",
        why: "Apps use fastapp's public API only: `__private` exists for the code fastapp's macros generate and changes without notice, so an app (internal, or an external app crate) that reaches into it would break on a fastapp update.",
        fix: "use the public items of `fastapp_core` (AppContext, AppState, Router, registry, …) instead",
        example: r#"// newsletter/src/helpers.rs
pub fn app_count() -> usize {
    fastapp_core::__private::APPS.len()
}"#,
    },
    Rule {
        id: "app.E009",
        aliases: &[],
        stage: Stage::Compile,
        title: "an app's `register` function has the wrong signature",
        why: "fastapp calls `register` once, synchronously, at start-up, with the app's context: it is `fn(&mut AppContext) -> Option<Router>` (or a `Result` of it), not `async`, not generic, and it takes exactly one argument.",
        fix: "write `pub fn register(ctx: &mut AppContext) -> Option<Router>`; start async work from a start-up hook (`ctx.on_startup`)",
        example: r#"// src/apps/blog/mod.rs
#[fastapp_core::internal_app]
pub async fn register(ctx: &mut AppContext) -> Option<Router> {
    Some(Router::new())
}"#,
    },
    Rule {
        id: "link.E026",
        aliases: &[],
        stage: Stage::Compile,
        title: "an external app is a dependency of the project package itself",
        why: "Core and internal apps may never use an external app, so the project package depends on none (only its link package does) and no reference from the project can resolve. A dependency in any table counts: `[dependencies]`, `[dev-dependencies]` (which would let `#[cfg(test)]` code in apps reach it), `[build-dependencies]` and target tables, with renames and `workspace = true` resolved.",
        fix: "move the dependency from the project's Cargo.toml to link/Cargo.toml (the link package's [dependencies]); tests that need the external app's items belong in that app's crate",
        example: r#"# Cargo.toml (the project package)
[dependencies]
fastapp-core = "0.1"
shop-link = { path = "link" }

[dev-dependencies]
newsletter = { path = "newsletter" }"#,
    },
    Rule {
        id: "link.E027",
        aliases: &[],
        stage: Stage::Compile,
        title: "`fastapp.toml` lists external apps but the project has no link package",
        why: "External apps are linked into the binary through the project's link package `<package>-link` (link/), which depends on them; the project package depends on the link package only, so core and internal apps cannot name an external app.",
        fix: r#"create link/Cargo.toml (`[package] name = "<package>-link"`, [dependencies] fastapp-core and each external app) and link/src/lib.rs holding `fastapp_core::link!();`, then add `<package>-link = { path = "link" }` under [dependencies] in the project's Cargo.toml"#,
        example: r#"# fastapp.toml
apps = ["apps.blog", "newsletter"]

# Cargo.toml (package "shop"): no `shop-link = { path = "link" }`, no link/
[dependencies]
fastapp-core = "0.1""#,
    },
    Rule {
        id: "app.E028",
        aliases: &[],
        stage: Stage::Compile,
        title: "an internal app makes a module other than `api` visible outside it",
        why: "Other apps may use only an app's `api` module; every other module of the app is private to it, so Rust's privacy keeps other apps out. Any visibility beyond the app counts: `pub`, `pub(crate)`, `pub(super)`, `pub(in …)`.",
        fix: "make the module private (`mod handlers;`), and re-export from `api` what other apps need (`pub use super::handlers::Item;` in the app's api.rs, declared with `pub mod api;`)",
        example: r#"// src/apps/accounts/mod.rs
pub mod api;
pub mod handlers;
mod models;"#,
    },
    Rule {
        id: "isolation.E029",
        aliases: &[],
        stage: Stage::Compile,
        title: "an internal app reaches into another internal app's private part",
        why: r#"Other apps may use only an app's `api` module. rustc refuses a path into anything else (`E0603` "module is private"); fastapp adds what that app's `api` exports (or that it has none yet), so the fix is one edit."#,
        fix: "use what the other app exports, `crate::apps::<other>::api::{…}`; if you need more, re-export it from that app's `api` module",
        example: r#"// src/apps/blog/handlers.rs
use crate::apps::accounts::models::User;    // write `crate::apps::accounts::api::User`"#,
    },
    Rule {
        id: "isolation.E031",
        aliases: &[],
        stage: Stage::Compile,
        title: "an internal app uses an internal app its `uses` does not declare",
        why: "An internal app may use only the internal apps its `[app.<name>] uses` lists; rustc cannot express that inside one crate, so fastapp's scan holds it. A path into the app counts, and so does a table whose `#[model]` that app owns reached through core's shared schema (`crate::core::schema::users`); the message gives the `file:line:col` and the exact `uses = [...]` line. Start-up and `check` report it too, when the binary runs with a configuration (`FASTAPP_CONFIG`) that differs from the fastapp.toml it was built with.",
        fix: "if the app should depend on the other, write the `uses = [...]` line the message gives under `[app.<name>]` in fastapp.toml; otherwise remove this use",
        example: r#"# fastapp.toml
[app.blog]
uses = []

// src/apps/blog/handlers.rs (`users` is mapped by a #[model] of accounts)
use crate::core::schema::users;"#,
    },
    Rule {
        id: "isolation.E037",
        aliases: &["isolation.E009"],
        stage: Stage::Compile,
        title: "core names an external app crate",
        why: "Core (every module the entry point declares except `apps`, in any file) is shared by every internal app, so an external app reachable through core would let internal apps use it. No code of the project package names an external app (only its link package depends on them): rustc refuses every reference, and fastapp's scan reports the shapes it is sure of.",
        fix: "remove the reference from core: let the external app do that work behind its own routes, or move the code into the external app",
        example: r#"// src/core/mod.rs
pub mod schema;
pub mod settings;
pub use newsletter::Subscriber;"#,
    },
];
