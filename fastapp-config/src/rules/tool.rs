//! The rules of `cargo fastapp`.

use super::rule::{Rule, Stage};

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "name.E060",
        aliases: &[],
        stage: Stage::Tool,
        title: "a name is not `[a-z][a-z0-9_]*`",
        why: "A project's or app's name becomes a crate or module name, a directory and the prefix of its tables, so it is a lower-case letter, then lower-case letters, digits and `_`. A path (`a/b`, `..`), `-`, upper case or a leading digit is refused before anything is written.",
        fix: "use lower-case letters, digits and `_`, starting with a letter (e.g. `my_shop`); give a plain name, not a path (`--path` chooses where a project or an external app crate goes)",
        example: r#"$ cargo fastapp new My-Shop
$ cargo fastapp app new ../evil"#,
    },
    Rule {
        id: "name.E061",
        aliases: &[],
        stage: Stage::Tool,
        title: "a name is a Rust keyword",
        why: "A Rust keyword (`mod`, `type`, `async`, …: the strict and reserved keywords of the 2021 edition and later) cannot name a module or a crate, so the generated code would not build.",
        fix: "choose another name, e.g. `type_app`",
        example: "$ cargo fastapp app new type",
    },
    Rule {
        id: "name.E062",
        aliases: &[],
        stage: Stage::Tool,
        title: "a name is reserved",
        why: "`std`, `core`, `alloc`, `proc_macro`, `test`, `crate`, `self`, `super` and `apps` already mean something at the start of a Rust path in a project (`crate::core`, `crate::apps`), so an app or project of that name would be shadowed or shadow them.",
        fix: "choose another name, e.g. `core_app`",
        example: "$ cargo fastapp app new core",
    },
    Rule {
        id: "scaffold.E063",
        aliases: &[],
        stage: Stage::Tool,
        title: "the app, directory, module or table exists already",
        why: "`cargo fastapp` never overwrites: an app of that name in fastapp.toml, a directory under src/apps/ (listed or not), a crate or project directory that exists, a `pub mod` in src/apps/mod.rs or a table in schema.rs is refused before the first write.",
        fix: "choose another name, or remove or rename what is there",
        example: r#"$ cargo fastapp app new shop
$ cargo fastapp app new shop"#,
    },
    Rule {
        id: "scaffold.E064",
        aliases: &[],
        stage: Stage::Tool,
        title: "the name is a dependency of the project, or the project's own crate",
        why: "An app module or crate named like a dependency (or like the project's crate) would shadow it in `use` paths; `app extract` refuses such a name too, as the extracted crate would clash with the dependency.",
        fix: r#"choose another name (for `app extract`, rename the dependency first: `other = { package = "..." }`)"#,
        example: "$ cargo fastapp app new serde",
    },
    Rule {
        id: "scaffold.E065",
        aliases: &[],
        stage: Stage::Tool,
        title: "`app new`, `app extract` or `dev` outside a fastapp project",
        why: "These commands edit or run a project, found as a `fastapp.toml` beside a `Cargo.toml` in the current directory or above; without one there is nothing to edit. (`app new --external` outside a project only creates the crate.)",
        fix: "cd into the project (or create one with `cargo fastapp new <name>`)",
        example: r#"$ cd /tmp
$ cargo fastapp app new shop"#,
    },
    Rule {
        id: "scaffold.E066",
        aliases: &[],
        stage: Stage::Tool,
        title: "a project file is not in the shape the edit needs",
        why: "`cargo fastapp` edits project files in place, keeping comments and formatting: Cargo.toml, src/apps/mod.rs, schema.rs, diesel.toml's `except_tables`, the link package's manifest. One it cannot read, or whose shape it does not recognise, is refused before anything is written rather than edited wrongly.",
        fix: "restore the file to the shape `cargo fastapp new` writes (the message names the file and what is wrong)",
        example: r#"// src/apps/mod.rs
pub mod {

$ cargo fastapp app new shop"#,
    },
    Rule {
        id: "scaffold.E067",
        aliases: &[],
        stage: Stage::Tool,
        title: "`--fastapp-path` is not a fastapp checkout",
        why: "`--fastapp-path` makes the new project depend on fastapp by path and copy fastapp's Cargo.lock (the versions it is tested with); a directory without fastapp-core/ would give a project that cannot build.",
        fix: "pass --fastapp-path the directory that holds fastapp-core/ (the fastapp repository)",
        example: "$ cargo fastapp new shop --fastapp-path ~/src",
    },
    Rule {
        id: "scaffold.E068",
        aliases: &[],
        stage: Stage::Tool,
        title: "`dev` on a system without Unix file-descriptor passing",
        why: "`cargo fastapp dev` owns the listening socket and hands it to each new server as descriptor 3 (`LISTEN_FDS=1`), so that no request is refused across a restart; that needs a Unix system.",
        fix: "run `cargo run` (and restart it by hand), or use `cargo fastapp dev` under WSL, Linux or macOS",
        example: r#"PS C:\shop> cargo fastapp dev"#,
    },
    Rule {
        id: "extract.E075",
        aliases: &[],
        stage: Stage::Tool,
        title: "`app extract`: core or another internal app uses the app",
        why: r#"Once extracted the app is an external app, and core and internal apps may never use one (the link package keeps them apart). Every reference (`file:line:col`) and each `uses = ["<name>"]` in fastapp.toml is listed, and nothing is written."#,
        fix: "move that code into the app (or what both need into core), and drop the app from those apps' `uses`; then extract it",
        example: r#"# fastapp.toml
[app.crm]
uses = ["shop"]

// src/apps/crm/handlers.rs
fn featured() -> Option<crate::apps::shop::api::Item> { None }

$ cargo fastapp app extract shop"#,
    },
    Rule {
        id: "extract.E076",
        aliases: &[],
        stage: Stage::Tool,
        title: "`app extract`: the app uses what cannot move into an app crate",
        why: "An app crate depends on fastapp only, so it takes the app's own modules, its own tables and the project's settings, nothing else. Refused, each `file:line:col` listed: a path to another app, to core beyond its settings, to a table the app does not own, a `super::` path out of the app, a path inside a `use` group the rewrite cannot reach (it rewrites whole `crate::` paths only), or a settings module that itself uses the project's code.",
        fix: "keep the app's code to its own modules, its own tables and the project's settings (move what it needs of core or of other apps into it, or pass it in through `AppContext` state), then extract it",
        example: r#"// src/apps/shop/handlers.rs
fn customers() -> Option<crate::apps::crm::api::Customer> { None }
fn customer_table() { let _ = crate::core::schema::crm_items::table; }

$ cargo fastapp app extract shop"#,
    },
    Rule {
        id: "extract.E077",
        aliases: &[],
        stage: Stage::Tool,
        title: "`app extract`: the app owns no table",
        why: "An app is extracted with its tables, and a baseline keeps their rows; an app with no `#[model(table = …)]` and no `<version>_<name>_…` migration that creates a table has no data to carry and needs no extraction.",
        fix: "move its files into a crate made with `cargo fastapp app new <name> --external` instead",
        example: r#"// src/apps/bare/mod.rs: no models, no migrations
#[fastapp_core::internal_app]
pub fn register(_ctx: &mut AppContext) -> Option<Router> { None }

$ cargo fastapp app extract bare"#,
    },
    Rule {
        id: "extract.E078",
        aliases: &[],
        stage: Stage::Tool,
        title: "`app extract`: a migration of the app is not committed",
        why: "The baseline is the schema the app's migrations leave, frozen; a migration `git status` shows new or edited may not be in every database yet, which would then differ from the baseline. Outside a git work tree the command says it cannot tell, and goes on.",
        fix: "commit the migrations (and apply them wherever the project runs) before extracting, or remove the ones that are not meant to stay",
        example: r#"$ git status --short migrations/
?? migrations/2030-01-01-000000_shop_add_price/
$ cargo fastapp app extract shop"#,
    },
    Rule {
        id: "extract.E079",
        aliases: &[],
        stage: Stage::Tool,
        title: "`app extract`: no internal app of that name",
        why: r#"Only an internal app listed in fastapp.toml (`"apps.<name>"`) whose directory holds a mod.rs can be extracted: an external app is one already, and a single-file app must become a directory first."#,
        fix: "name one of the project's internal apps (the message lists them); move a single-file app `src/apps/<name>.rs` to `src/apps/<name>/mod.rs` first",
        example: r#"$ cargo fastapp app extract newsletter      # an external app already
$ cargo fastapp app extract nope"#,
    },
    Rule {
        id: "extract.E081",
        aliases: &[],
        stage: Stage::Tool,
        title: "`app extract`: the project does not build, or cannot say how its tables are created",
        why: "The baseline is read by the project itself: `cargo run -- migrate baseline <table>…` applies core's migrations to a private in-memory SQLite database and prints what SQLite keeps. A project that does not build, or whose shared migrations only PostgreSQL accepts, cannot give it, and nothing is written.",
        fix: "make the project build and `migrate` cleanly first (`cargo run -- check`)",
        example: r#"-- migrations/2024-01-01-000003_shop_name_required/up.sql (PostgreSQL only)
ALTER TABLE shop_items ALTER COLUMN name SET NOT NULL;

$ cargo fastapp app extract shop"#,
    },
];
