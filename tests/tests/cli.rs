//! The project CLI's rules, on the fixture project (which links apps that
//! break them) and the example: exit code, rule id, and that each message
//! names the app(s), the location and the fix. Outputs are parsed, not grepped.

mod support;

use std::path::Path;
use std::process::Stdio;

use serde_json::Value;

/// `check --json` with `config`: exit status and the parsed report.
fn check(config: &str) -> (i32, Value) {
    let dir = tempfile::tempdir().unwrap();
    let out = support::fixture(config, &dir.path().join("check.db"), &["check", "--json"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let report: Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("stdout is only JSON ({e}): {stdout}"));
    (out.status.code().unwrap(), report)
}

/// The errors of a report with rule `id`.
fn errors<'a>(report: &'a Value, id: &str) -> Vec<&'a Value> {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["id"] == id)
        .collect()
}

fn text(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or_default().to_string()
}

/// Every finding carries a message, a fix and (here) a location.
fn assert_actionable(finding: &Value) {
    assert!(!text(finding, "message").is_empty(), "{finding}");
    assert!(!text(finding, "fix").is_empty(), "{finding}");
    assert!(!text(finding, "location").is_empty(), "{finding}");
}

#[test]
fn a_valid_config_checks_clean() {
    let (code, report) = check("apps = [\"apps.alpha\", \"apps.beta\", \"newsletter\"]\n");
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["valid"], true);
    assert!(report["errors"].as_array().unwrap().is_empty());
    // Linked but unlisted internal apps are warnings, not errors.
    let unlisted: Vec<String> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["id"] == "app.W001")
        .map(|w| text(w, "app"))
        .collect();
    assert!(unlisted.contains(&"gamma".to_string()), "{report}");
    assert!(!unlisted.contains(&"alpha".to_string()), "{report}");
}

#[test]
fn route_collision_names_both_apps_routes_and_fix() {
    let (code, report) = check("apps = [\"apps.alpha\", \"apps.beta\"]\n[app.beta]\nprefix = \"/alpha\"\n");
    assert_eq!(code, 1);
    let found = errors(&report, "route.E016");
    assert_eq!(found.len(), 1, "{report}");
    let message = text(found[0], "message");
    assert!(
        message.contains("`GET /alpha/items/{item_id}` of app `beta`"),
        "{message}"
    );
    assert!(
        message.contains("`GET /alpha/items/{id}` of app `alpha`"),
        "{message}"
    );
    assert!(text(found[0], "fix").contains("prefix"), "{report}");
    assert_actionable(found[0]);
}

#[test]
fn listed_twice_unknown_and_invalid_names_are_located() {
    let (code, report) =
        check("apps = [\n  \"apps.alpha\",\n  \"apps.alpha\",\n  \"apps.nope\",\n  \"apps.Bad\",\n]\n");
    assert_eq!(code, 1);
    let twice = errors(&report, "app.E012");
    assert!(
        text(twice[0], "location").ends_with("fastapp.toml:3:3"),
        "{report}"
    );
    assert!(text(twice[0], "message").contains("apps.alpha"));
    let unknown = errors(&report, "app.E010");
    assert!(text(unknown[0], "location").ends_with(":4:3"), "{report}");
    assert!(
        text(unknown[0], "fix").contains("src/apps/nope/mod.rs"),
        "{report}"
    );
    let bad = errors(&report, "app.E014");
    assert!(text(bad[0], "location").ends_with(":5:3"), "{report}");
    assert!(text(bad[0], "fix").contains("apps.bad"), "{report}");
    for f in twice.iter().chain(&unknown).chain(&bad) {
        assert_actionable(f);
    }
}

#[test]
fn invalid_prefix_and_unknown_app_table() {
    let (code, report) =
        check("apps = [\"apps.alpha\"]\n[app.alpha]\nprefix = \"alpha/\"\n[app.ghost]\nprefix = \"/g\"\n");
    assert_eq!(code, 1);
    let prefix = errors(&report, "app.E015");
    assert!(text(prefix[0], "location").ends_with(":3:10"), "{report}");
    assert!(text(prefix[0], "fix").contains("\"/alpha\""), "{report}");
    let ghost = errors(&report, "config.E035");
    assert_eq!(text(ghost[0], "app"), "ghost");
    assert_actionable(prefix[0]);
    assert_actionable(ghost[0]);
}

#[test]
fn unknown_key_is_located_with_did_you_mean() {
    let (code, report) = check("apps = []\n[migrations]\norder = []\n");
    assert_eq!(code, 1);
    let found = errors(&report, "config.E034");
    assert!(text(found[0], "location").ends_with(":2:2"), "{report}");
    assert_eq!(
        text(found[0], "fix"),
        "did you mean `migration` instead of `migrations`?"
    );
}

#[test]
fn two_apps_with_one_name() {
    let (code, report) = check("apps = [\"apps.newsletter\", \"newsletter\"]\n");
    assert_eq!(code, 1);
    let found = errors(&report, "app.E013");
    assert_eq!(found.len(), 1, "{report}");
    assert_eq!(text(found[0], "app"), "newsletter");
    let message = text(found[0], "message");
    assert!(
        message.contains("src/apps/newsletter/mod.rs") && message.contains("newsletter/src/lib.rs"),
        "{message}"
    );
    assert_actionable(found[0]);
}

#[test]
fn a_route_collision_at_serve_leaves_the_database_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("untouched.db");
    let out = support::fixture(
        "apps = [\"apps.alpha\", \"apps.beta\"]\n[app.beta]\nprefix = \"/alpha\"\n",
        &db,
        &["serve", "--port", "0"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[route.E016]"));
    assert!(!db.exists(), "no database was created");
}

#[test]
fn cycle_is_named() {
    let (code, report) = check("apps = [\"apps.cyc_a\", \"apps.cyc_b\"]\n");
    assert_eq!(code, 1);
    let found = errors(&report, "graph.E018");
    assert_eq!(
        text(found[0], "message"),
        "internal apps depend on each other in a cycle: cyc_a → cyc_b → cyc_a"
    );
    assert_actionable(found[0]);
}

#[test]
fn register_errors_and_panics_name_the_app() {
    let (code, report) = check("apps = [\"apps.gamma\", \"apps.delta\"]\n");
    assert_eq!(code, 1);
    let found = errors(&report, "app.E011");
    let apps: Vec<String> = found.iter().map(|f| text(f, "app")).collect();
    assert_eq!(apps, ["gamma", "delta"], "{report}");
    assert!(
        text(found[0], "message").contains("setting `gamma_api_key` is missing"),
        "{report}"
    );
    assert!(text(found[1], "message").contains("panicked"), "{report}");
    assert!(
        text(found[1], "location").contains("src/apps/delta/mod.rs"),
        "{report}"
    );
}

#[test]
fn two_apps_claiming_one_table() {
    let (code, report) = check("apps = [\"apps.own_a\", \"apps.own_b\"]\n");
    assert_eq!(code, 1);
    let found = errors(&report, "model.E019");
    let message = text(found[0], "message");
    assert!(
        message.contains("`things`") && message.contains("`own_a`") && message.contains("`own_b`"),
        "{message}"
    );
}

#[test]
fn same_path_with_other_parameter_names_is_a_conflict_even_for_other_methods() {
    let (code, report) =
        check("apps = [\"apps.alpha\", \"apps.epsilon\"]\n[app.epsilon]\nprefix = \"/alpha\"\n");
    assert_eq!(code, 1);
    assert!(errors(&report, "route.E016").is_empty(), "{report}");
    let found = errors(&report, "route.E017");
    assert_eq!(found.len(), 1, "{report}");
    let message = text(found[0], "message");
    assert!(
        message.contains("`PUT /alpha/items/{item_id}` of app `epsilon`"),
        "{message}"
    );
    assert!(
        message.contains("`GET /alpha/items/{id}` of app `alpha`"),
        "{message}"
    );
    assert_actionable(found[0]);
}

#[test]
fn migration_order_is_honoured() {
    let dir = tempfile::tempdir().unwrap();
    let out = support::fixture(
        "apps = [\"newsletter\", \"fx_broken\"]\n[migration]\norder = [\"newsletter\", \"core\", \"fx_broken\"]\n",
        &dir.path().join("order.db"),
        &["migrate", "preview"],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let order: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("-- fastapp: "))
        .map(|l| l.split(' ').next().unwrap().to_string())
        .collect();
    assert_eq!(order, ["newsletter", "core", "core", "fx_broken", "fx_broken"]);
}

#[test]
fn migration_order_must_name_every_owner() {
    let (code, report) = check("apps = [\"newsletter\"]\n[migration]\norder = [\"newsletter\"]\n");
    assert_eq!(code, 1);
    assert_eq!(errors(&report, "config.E036").len(), 1, "{report}");
}

#[test]
fn external_tables_must_be_filtered_from_the_shared_schema() {
    // newsletter's `subscribers` is in the fixture's diesel.toml filter;
    // fx_broken's `widgets` is not.
    let (code, report) = check("apps = [\"newsletter\"]\n");
    assert_eq!(code, 0, "{report}");
    let (code, report) = check("apps = [\"newsletter\", \"fx_broken\"]\n");
    assert_eq!(code, 1);
    let found = errors(&report, "schema.E022");
    assert_eq!(found.len(), 1, "{report}");
    assert_eq!(text(found[0], "app"), "fx_broken");
    assert!(text(found[0], "message").contains("`widgets`"), "{report}");
    assert!(text(found[0], "fix").contains("except_tables"), "{report}");
}

#[test]
fn example_routes_graph_and_apps_parse() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let run = |args: &[&str]| {
        let out = support::example_command(dir.path(), &db, args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let routes: Vec<(String, String, String)> = run(&["routes"])
        .lines()
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 3, "{line}");
            (cols[0].into(), cols[1].into(), cols[2].into())
        })
        .collect();
    assert!(routes.contains(&("POST".into(), "/blog/posts".into(), "blog".into())));
    assert!(routes.contains(&("GET".into(), "/accounts/users/{id}".into(), "accounts".into())));
    assert!(routes.contains(&(
        "POST".into(),
        "/newsletter/subscribers".into(),
        "newsletter".into()
    )));
    // The apps' eight, then health, readiness, the OpenAPI document, the
    // docs page and its files, and the apps page.
    for path in [
        "/healthz",
        "/readyz",
        "/openapi.json",
        "/docs",
        "/docs/assets/{file}",
        "/docs/apps",
    ] {
        assert!(
            routes.contains(&("GET".into(), path.into(), "fastapp".into())),
            "{path}"
        );
    }
    assert_eq!(routes.len(), 14, "{routes:?}");

    let mermaid = run(&["apps", "graph"]);
    assert_eq!(mermaid.lines().next(), Some("flowchart LR"));
    let edges: Vec<&str> = mermaid
        .lines()
        .filter(|l| l.contains("-->"))
        .map(str::trim)
        .collect();
    assert_eq!(edges, ["blog --> accounts"]);
    let dot = run(&["apps", "graph", "--format", "dot"]);
    assert!(dot.starts_with("digraph apps {") && dot.trim_end().ends_with('}'));
    let dot_edges: Vec<&str> = dot.lines().filter(|l| l.contains("->")).map(str::trim).collect();
    assert_eq!(dot_edges, ["\"blog\" -> \"accounts\";"]);

    // The picture: SVG (well-formed XML) with every app's name, kind,
    // prefix and route count.
    let svg = run(&["apps", "graph", "--format", "svg"]);
    let xml = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{e}: {svg}"));
    assert_eq!(xml.root_element().tag_name().name(), "svg", "{svg}");
    assert_eq!(
        xml.root_element().tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    let text: Vec<&str> = xml
        .descendants()
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect();
    for (app, kind) in [
        ("accounts", "internal"),
        ("blog", "internal"),
        ("newsletter", "external"),
    ] {
        let count = routes.iter().filter(|(_, _, owner)| owner == app).count();
        assert!(
            text.contains(&format!("{app} ({kind})").as_str()),
            "{app} in {text:?}"
        );
        assert!(
            text.contains(&format!("/{app} · {count} routes").as_str()),
            "{app}'s {count} routes in {text:?}"
        );
    }

    let apps: Vec<Vec<String>> = run(&["apps", "list"])
        .lines()
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect();
    assert_eq!(
        apps,
        [
            ["accounts", "internal", "/accounts"],
            ["blog", "internal", "/blog"],
            ["newsletter", "external", "/newsletter"]
        ]
    );

    let verbose: Vec<Vec<String>> = run(&["apps", "list", "--verbose"])
        .lines()
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect();
    let blog = verbose.iter().find(|cols| cols[0] == "blog").unwrap();
    assert!(blog.contains(&"depends_on=accounts".to_string()), "{blog:?}");
    assert!(
        blog.iter()
            .any(|c| c.starts_with("source=") && c.ends_with("src/apps/blog/mod.rs:10")),
        "{blog:?}"
    );
    let newsletter = verbose.iter().find(|cols| cols[0] == "newsletter").unwrap();
    assert!(newsletter.contains(&"migrations=1".to_string()), "{newsletter:?}");

    let check: Value = serde_json::from_str(&run(&["check", "--json"])).unwrap();
    assert_eq!(check["valid"], true, "{check}");
}

#[test]
fn a_missing_project_setting_fails_registration_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("fastapp.toml");
    std::fs::write(
        &config,
        "apps = [\"apps.accounts\", \"apps.blog\", \"newsletter\"]\n",
    )
    .unwrap();
    let out = support::example_command(dir.path(), &dir.path().join("x.db"), &["routes"])
        .env("FASTAPP_CONFIG", &config)
        .env_remove("APP_PAGE_SIZE")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("[app.E011] app `accounts` failed to register"),
        "{stderr}"
    );
    assert!(
        stderr.contains("[settings.E021]") && stderr.contains("page_size"),
        "{stderr}"
    );
    assert!(!dir.path().join("x.db").exists(), "nothing touched the database");
}

#[test]
fn using_an_unlisted_internal_app_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("fastapp.toml");
    std::fs::write(
        &config,
        "apps = [\"apps.blog\", \"newsletter\"]\n[settings]\npage_size = 5\n",
    )
    .unwrap();
    let out = support::example_command(dir.path(), &dir.path().join("x.db"), &["check", "--json"])
        .env("FASTAPP_CONFIG", &config)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{report}");
    let warnings = report["warnings"].as_array().unwrap();
    let uses = warnings.iter().find(|w| w["id"] == "app.W002").expect("app.W002");
    assert_eq!(text(uses, "app"), "blog");
    assert!(text(uses, "message").contains("`accounts`"), "{report}");
    assert!(
        warnings
            .iter()
            .any(|w| w["id"] == "app.W001" && w["app"] == "accounts"),
        "{report}"
    );
}

#[test]
fn an_unreachable_database_is_named_without_its_password() {
    let dir = tempfile::tempdir().unwrap();
    let url = "postgres://app:hunter2@127.0.0.1:1/nowhere";
    let out = support::example_command(dir.path(), std::path::Path::new(url), &["migrate"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("[db.E030] cannot use database postgres://app:***@127.0.0.1:1/nowhere"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "{stderr}");
}

#[test]
fn a_failing_start_up_hook_stops_serve() {
    let dir = tempfile::tempdir().unwrap();
    let out = support::fixture(
        "apps = [\"apps.zeta\"]\n",
        &dir.path().join("z.db"),
        &["serve", "--port", "0"],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("[app.E023] start-up hook of app `zeta` failed: cache warm-up failed"),
        "{stderr}"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("listening"));
}

#[test]
fn a_panicking_hook_is_the_apps_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("z.db");
    // At start-up: app.E023, exit 1, before listening.
    let out = support::fixture_in(
        "apps = [\"apps.zeta\"]\n",
        &db,
        &["serve", "--port", "0"],
        &[("ZETA", "panic")],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("[app.E023] start-up hook of app `zeta` failed: panicked: cache exploded"),
        "{stderr}"
    );
    assert!(stderr.contains("src/apps/zeta/mod.rs:6 (app `zeta`)"), "{stderr}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("listening"));

    // At shutdown: logged, and serve still stops cleanly.
    let mut child = support::fixture_command(
        dir.path(),
        "apps = [\"apps.zeta\"]\n",
        &db,
        &["serve", "--port", "0"],
    )
    .env("ZETA", "panic-on-shutdown")
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(child.stdout.take().unwrap()));
    let listening = lines.next().unwrap().unwrap();
    assert!(listening.starts_with("fastapp: listening on "), "{listening}");
    std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("shutdown hook failed") && stderr.contains("panicked: flush exploded"),
        "{stderr}"
    );
    assert_eq!(rest, ["fastapp: stopped"]);
}

#[test]
fn a_taken_port_is_an_io_error_naming_it() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let dir = tempfile::tempdir().unwrap();
    let out = support::example_command(dir.path(), &dir.path().join("p.db"), &["serve", "--port", &port])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("[io.E090] cannot listen on 127.0.0.1:{port}")),
        "{stderr}"
    );
}

#[test]
fn makemigrations_without_a_source_tree_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = support::example_command(
        dir.path(),
        &dir.path().join("m.db"),
        &["makemigrations", "blog", "x"],
    )
    .env("FASTAPP_SOURCE_ROOT", dir.path())
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("[migration.E049] makemigrations needs the project's source tree"),
        "{stderr}"
    );
    let out = support::example_command(
        dir.path(),
        &dir.path().join("m.db"),
        &["makemigrations", "blog", "Bad-Name"],
    )
    .output()
    .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("[migration.E049] `Bad-Name` is not a valid migration name"));
}

#[test]
fn settings_are_layered_and_redacted() {
    let dir = tempfile::tempdir().unwrap();
    let settings = |env: &[(&str, &str)]| {
        let mut cmd = support::example_command(
            dir.path(),
            std::path::Path::new("postgres://app:hunter2@db.invalid/app"),
            &["settings"],
        );
        cmd.env_remove("APP_PAGE_SIZE").env_remove("DEBUG");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(!stdout.contains("hunter2"), "{stdout}");
        stdout
            .lines()
            .filter_map(|l| l.split_once(" = "))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<std::collections::BTreeMap<String, String>>()
    };
    // fastapp.toml alone: page_size = 20 there; debug is the default.
    let base = settings(&[]);
    assert_eq!(base["page_size"], "20");
    assert_eq!(base["debug"], "false");
    assert_eq!(base["port"], "8000");
    assert_eq!(base["database_url"], "postgres://app:***@db.invalid/app");
    // .env over fastapp.toml and the defaults.
    std::fs::write(dir.path().join(".env"), "APP_PAGE_SIZE=30\nPORT=9100\n").unwrap();
    let dotenv = settings(&[]);
    assert_eq!(
        (dotenv["page_size"].as_str(), dotenv["port"].as_str()),
        ("30", "9100")
    );
    // The environment over .env.
    let env = settings(&[("APP_PAGE_SIZE", "40"), ("DEBUG", "true")]);
    assert_eq!((env["page_size"].as_str(), env["debug"].as_str()), ("40", "true"));
    // A wrong type is a located error, not a silent default.
    std::fs::write(dir.path().join(".env"), "PORT=70000\n").unwrap();
    let out = support::example_command(dir.path(), std::path::Path::new("x.db"), &["settings"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[settings.E020] setting `port`"));
}

/// A project key named like an ordinary environment variable keeps its
/// value: only its `APP_`-prefixed variable overrides it (`$PATH`, `$HOME`
/// and `$PWD` took over `path`, `home` and `pwd`).
#[test]
fn project_keys_named_like_ordinary_variables_are_overridden_only_with_the_prefix() {
    let config = "apps = [\"apps.alpha\"]\n[settings]\npath = \"files\"\nhome = \"/start\"\npwd = \"pw-hint\"\nuser = \"guest\"\n";
    let dir = tempfile::tempdir().unwrap();
    let settings = |env: &[(&str, &str)]| {
        let mut env = env.to_vec();
        env.extend([("HOME", "/root"), ("PWD", "/tmp"), ("USER", "root")]);
        let out = support::fixture_in(config, &dir.path().join("x.db"), &["settings", "--json"], &env);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let plain = settings(&[]);
    assert_eq!(plain["path"], "files", "{plain}");
    assert_eq!(plain["home"], "/start", "{plain}");
    assert_eq!(plain["user"], "guest", "{plain}");
    assert_eq!(
        plain["pwd"], "***",
        "a secret's key (pwd) is still redacted: {plain}"
    );
    let overridden = settings(&[("APP_PATH", "elsewhere"), ("APP_HOME", "/home/app")]);
    assert_eq!(overridden["path"], "elsewhere", "{overridden}");
    assert_eq!(overridden["home"], "/home/app", "{overridden}");
    // Built-in settings keep their well-known names.
    let port = settings(&[("PORT", "9001"), ("APP_PORT", "9002")]);
    assert_eq!(port["port"], 9001, "{port}");
}

#[test]
fn self_mounted_app_hooks_and_extensions_work_over_http() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("self.db");
    std::fs::write(
        dir.path().join("fastapp.toml"),
        "apps = [\"apps.selfmount\", \"apps.alpha\"]\n[app.alpha]\nprefix = \"\"\n[settings]\npage_size = 7\n",
    )
    .unwrap();
    let mut child = std::process::Command::new(support::fixture_binary())
        .env("DRAIN_DELAY", "0")
        .current_dir(dir.path())
        .args(["serve", "--port", "0"])
        .env("FASTAPP_CONFIG", dir.path().join("fastapp.toml"))
        .env("DATABASE_URL", &db)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::BufRead;
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = Vec::new();
    let base = loop {
        let line = lines.next().expect("server output").unwrap();
        if let Some(url) = line.strip_prefix("fastapp: listening on ") {
            break url.to_string();
        }
        seen.push(line);
    };
    assert!(seen.contains(&"selfmount: started".to_string()), "{seen:?}");
    let agent = support::http();
    let (status, _) = support::send(agent.get(&format!("{base}/custom/hello")), None);
    assert_eq!(status, 200);
    let body = support::get_text(&format!("{base}/custom/hello"));
    assert_eq!(body, "hello from selfmount");
    // alpha mounted at the root ("" prefix).
    let body = support::get_text(&format!("{base}/items/1"));
    assert_eq!(body, "alpha");
    // Settings through the State<Arc<Settings>> extractor.
    let body = support::get_text(&format!("{base}/custom/page-size"));
    assert_eq!(body, "7");
    let body = support::get_text(&format!("{base}/custom/one"));
    assert_eq!(body, "1", "the Db extractor runs diesel");
    let body = support::get_text(&format!("{base}/custom/global-page-size"));
    assert_eq!(body, "7", "get_settings() sees the same settings");

    // SIGTERM while a request is in flight: it still finishes.
    let slow_url = format!("{base}/custom/slow");
    let in_flight = std::thread::spawn(move || {
        support::http()
            .get(&slow_url)
            .call()
            .map(|r| r.into_string().unwrap())
            .map_err(|err| err.to_string())
    });
    std::thread::sleep(std::time::Duration::from_millis(400));
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    assert_eq!(
        in_flight
            .join()
            .unwrap()
            .expect("the in-flight request completes"),
        "finished"
    );
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(child.wait().unwrap().success());
    assert!(rest.contains(&"selfmount: stopped".to_string()), "{rest:?}");
}

#[test]
fn prefixes_axum_cannot_route_are_config_errors_with_a_usable_fix() {
    for (prefix, suggested) in [
        ("/{tenant}", "/tenant"),
        ("/news letter", "/news-letter"),
        ("/{*x}", "/x"),
    ] {
        let (code, report) = check(&format!(
            "apps = [\"apps.alpha\"]\n[app.alpha]\nprefix = \"{prefix}\"\n"
        ));
        assert_eq!(code, 1, "{prefix}: {report}");
        let found = errors(&report, "app.E015");
        assert_eq!(found.len(), 1, "{prefix}: {report}");
        assert!(
            errors(&report, "app.E011").is_empty(),
            "not a register failure: {report}"
        );
        assert!(
            text(found[0], "fix").contains(&format!("prefix = \"{suggested}\"")),
            "{report}"
        );
        assert_actionable(found[0]);
    }
}

#[test]
fn database_urls_that_cannot_work_are_refused_before_anything_is_created() {
    let dir = tempfile::tempdir().unwrap();
    for (url, says) in [
        (":memory:", "in-memory"),
        ("", "is empty"),
        (
            "host=db.invalid user=app password=hunter2 dbname=app",
            "key=value",
        ),
    ] {
        let out = support::example_command(dir.path(), std::path::Path::new(url), &["migrate"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{url:?}: {stderr}");
        assert!(
            stderr.contains("[settings.E020]") && stderr.contains(says),
            "{url:?}: {stderr}"
        );
        assert!(stderr.contains("= fix: "), "{stderr}");
        assert!(!stderr.contains("hunter2"), "{stderr}");
        let created: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert!(created.is_empty(), "{url:?} created {created:?}");
    }
    // A password given as a URL parameter is redacted too.
    let out = support::example_command(
        dir.path(),
        std::path::Path::new("postgres://db.invalid/app?password=hunter2"),
        &["settings"],
    )
    .output()
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("database_url = postgres://db.invalid/app?password=***"),
        "{stdout}"
    );
    assert!(!stdout.contains("hunter2"), "{stdout}");
}

#[test]
fn a_bogus_migration_name_sharing_a_real_version_is_refused() {
    let db = support::TestDb::sqlite();
    for args in [
        &["migrate", "core", "--to", "2024-01-01-000001_totally_bogus"][..],
        &["migrate", "revert", "--to", "2024-01-01-000001_totally_bogus"][..],
    ] {
        let (code, _, stderr) = support::example(&db, args);
        assert_eq!(code, 1, "{args:?}: {stderr}");
        assert!(stderr.contains("[migration.E045]"), "{args:?}: {stderr}");
    }
    let tables = if std::path::Path::new(&db.url).exists() {
        db.tables()
    } else {
        Vec::new()
    };
    assert!(
        !tables.contains(&"users".to_string()),
        "nothing was applied: {tables:?}"
    );
}

/// Starts the fixture's `selfmount` app (`/custom/hang` never answers) with
/// `env`; its base URL and the child, whose stderr is piped.
fn serve_selfmount(dir: &std::path::Path, env: &[(&str, &str)]) -> (String, std::process::Child) {
    use std::io::BufRead;
    std::fs::write(dir.join("fastapp.toml"), "apps = [\"apps.selfmount\"]\n").unwrap();
    let mut cmd = std::process::Command::new(support::fixture_binary());
    cmd.env("DRAIN_DELAY", "0")
        .current_dir(dir)
        .args(["serve", "--port", "0"])
        .env("FASTAPP_CONFIG", dir.join("fastapp.toml"))
        .env("DATABASE_URL", dir.join("drain.db"))
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = std::io::BufReader::new(stdout).lines();
    let base = loop {
        let line = lines.next().expect("server output").unwrap();
        if let Some(url) = line.strip_prefix("fastapp: listening on ") {
            break url.to_string();
        }
    };
    std::thread::spawn(move || lines.for_each(drop));
    (base, child)
}

/// Waits (at most `limit`) for the child to exit; its status and stderr.
fn exits_within(mut child: std::process::Child, limit: std::time::Duration) -> (bool, String) {
    use std::io::Read;
    let start = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
            return (status.success(), stderr);
        }
        assert!(
            start.elapsed() < limit,
            "the server did not stop within {limit:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

fn sigterm(child: &std::process::Child) {
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
}

#[test]
fn shutdown_stops_waiting_at_the_drain_deadline_or_a_second_signal() {
    // The drain deadline.
    let dir = tempfile::tempdir().unwrap();
    let (base, child) = serve_selfmount(dir.path(), &[("SHUTDOWN_TIMEOUT", "1")]);
    let hanging =
        std::thread::spawn(move || support::http().get(&format!("{base}/custom/hang")).call().is_ok());
    std::thread::sleep(std::time::Duration::from_millis(300));
    sigterm(&child);
    let (clean, stderr) = exits_within(child, std::time::Duration::from_secs(20));
    assert!(clean, "{stderr}");
    assert!(stderr.contains("after shutdown_timeout (1s)"), "{stderr}");
    assert!(!hanging.join().unwrap(), "the hanging request was cut off");

    // A second signal (the default deadline is 30 s).
    let dir = tempfile::tempdir().unwrap();
    let (base, child) = serve_selfmount(dir.path(), &[]);
    let hanging =
        std::thread::spawn(move || support::http().get(&format!("{base}/custom/hang")).call().is_ok());
    std::thread::sleep(std::time::Duration::from_millis(300));
    sigterm(&child);
    std::thread::sleep(std::time::Duration::from_millis(300));
    sigterm(&child);
    let (clean, stderr) = exits_within(child, std::time::Duration::from_secs(10));
    assert!(clean, "{stderr}");
    assert!(stderr.contains("a second signal"), "{stderr}");
    assert!(!hanging.join().unwrap());
}

#[test]
fn a_taken_port_fails_serve_before_any_migration_and_logs_are_plain_when_piped() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let db = dir.path().join("never.db");
    let out = support::example_command(dir.path(), &db, &["serve", "--port", &port])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("[io.E090]") && stderr.contains(&port), "{stderr}");
    assert!(!db.exists(), "nothing was migrated");

    let out = support::example_command(dir.path(), &db, &["migrate"])
        .env("RUST_LOG", "info")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("applied migration"), "{stderr}");
    assert!(
        !stderr.contains('\x1b'),
        "no ANSI colours in piped logs: {stderr:?}"
    );
}

#[test]
fn every_request_gets_one_access_log_line_naming_its_app() {
    let dir = tempfile::tempdir().unwrap();
    let mut child =
        support::example_command(dir.path(), &dir.path().join("log.db"), &["serve", "--port", "0"])
            .env("RUST_LOG", "info")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
    use std::io::{BufRead, Read};
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let base = loop {
        let line = lines.next().expect("server output").unwrap();
        if let Some(url) = line.strip_prefix("fastapp: listening on ") {
            break url.to_string();
        }
    };
    let agent = support::http();
    assert_eq!(
        support::send(agent.get(&format!("{base}/accounts/users")), None).0,
        200
    );
    assert_eq!(support::send(agent.get(&format!("{base}/nowhere")), None).0, 404);
    sigterm(&child);
    assert!(child.wait().unwrap().success());
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let served: Vec<&str> = stderr.lines().filter(|l| l.contains("served")).collect();
    assert_eq!(served.len(), 2, "{stderr}");
    assert!(
        served[0].contains("method=GET")
            && served[0].contains("path=/accounts/users")
            && served[0].contains("app=accounts")
            && served[0].contains("status=200")
            && served[0].contains("latency_ms="),
        "{}",
        served[0]
    );
    assert!(
        served[1].contains("path=/nowhere") && served[1].contains("status=404"),
        "{}",
        served[1]
    );
}

/// `check` with `config` and extra arguments: exit status, stdout, stderr.
fn check_with(config: &str, args: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    let out = support::fixture(config, &dir.path().join("check.db"), &all);
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn warnings_fail_only_at_fail_level_warning() {
    // Unlisted internal apps (app.W001) are warnings.
    let config = "apps = [\"apps.alpha\"]\n";
    let (code, stdout, stderr) = check_with(config, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("ok: 0 error(s), "), "{stdout}");
    assert!(stderr.contains("warning: [app.W001]"), "{stderr}");
    let (code, stdout, _) = check_with(config, &["--fail-level", "warning"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.starts_with("failed: 0 error(s), "), "{stdout}");
    let (code, stdout, _) = check_with(config, &["--fail-level", "error"]);
    assert_eq!(code, 0, "{stdout}");
    // --json says what the exit status says.
    let (code, stdout, _) = check_with(config, &["--json", "--fail-level", "warning"]);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        (code, &report["valid"], &report["failed"]),
        (1, &Value::Bool(true), &Value::Bool(true))
    );
    let (_, stdout, _) = check_with(config, &["--json"]);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["failed"], false);
    // Errors fail at either level.
    let broken = "apps = [\"apps.nope\"]\n";
    assert_eq!(check_with(broken, &[]).0, 1);
    assert_eq!(check_with(broken, &["--fail-level", "warning"]).0, 1);
}

#[test]
fn silenced_warnings_are_adopted_gradually() {
    let config = "apps = [\"apps.alpha\"]\n[app.alpha]\nuses = []\n[check]\nsilence = [\"app.W001\"]\n";
    let (code, report) = check(config);
    assert_eq!(code, 0, "{report}");
    assert!(report["warnings"].as_array().unwrap().is_empty(), "{report}");
    let silenced = report["silenced"].as_array().unwrap();
    assert!(
        !silenced.is_empty() && silenced.iter().all(|w| w["id"] == "app.W001"),
        "{report}"
    );
    // Nothing left to fail on, even at --fail-level warning.
    let (code, stdout, stderr) = check_with(config, &["--fail-level", "warning"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains(&format!("{} silenced", silenced.len())),
        "{stdout}"
    );
    assert!(!stderr.contains("app.W001"), "{stderr}");
    // Silenced warnings are not logged at start-up either (they are without silence).
    let dir = tempfile::tempdir().unwrap();
    let unsilenced = support::fixture(
        "apps = [\"apps.alpha\"]\n",
        &dir.path().join("x.db"),
        &["apps", "list"],
    );
    assert!(String::from_utf8_lossy(&unsilenced.stderr).contains("app.W001"));
    let out = support::fixture(config, &dir.path().join("x.db"), &["apps", "list"]);
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("app.W001"));
}

#[test]
fn a_silence_that_matches_nothing_is_a_warning() {
    // Every linked app is listed, so app.W001 has nothing left to silence.
    let all = "apps = [\"apps.alpha\"]\n[check]\nsilence = [\"app.W001\", \"app.W002\"]\n";
    let (_, report) = check(all);
    let stale: Vec<&Value> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["id"] == "check.W003")
        .collect();
    assert_eq!(stale.len(), 1, "app.W001 matches, app.W002 does not: {report}");
    assert!(text(stale[0], "message").contains("`app.W002`"), "{report}");
    assert!(
        text(stale[0], "location").ends_with("fastapp.toml:3:24"),
        "{report}"
    );
    assert!(text(stale[0], "fix").contains("remove \"app.W002\""), "{report}");
    // Silencing check.W003 keeps the stale entry quiet.
    let quiet = "apps = [\"apps.alpha\"]\n[check]\nsilence = [\"app.W002\", \"check.W003\"]\n";
    let (_, report) = check(quiet);
    assert!(
        !report["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["id"] == "check.W003"),
        "{report}"
    );
    assert!(
        report["silenced"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["id"] == "check.W003"),
        "{report}"
    );
}

#[test]
fn silencing_an_unknown_id_or_an_error_is_an_error() {
    let (code, report) = check("apps = []\n[check]\nsilence = [\"app.W01\"]\n");
    assert_eq!(code, 1);
    let found = errors(&report, "check.E070");
    assert_eq!(found.len(), 1, "{report}");
    assert!(
        text(found[0], "location").ends_with("fastapp.toml:3:12"),
        "{report}"
    );
    assert!(
        text(found[0], "fix").contains("did you mean `app.W001`?"),
        "{report}"
    );

    let (code, report) = check("apps = []\n[check]\nsilence = [\"route.E016\"]\n");
    assert_eq!(code, 1);
    let found = errors(&report, "check.E071");
    assert_eq!(found.len(), 1, "{report}");
    assert!(
        text(found[0], "message").contains("errors cannot be silenced"),
        "{report}"
    );
    assert_actionable(found[0]);

    // Every other command refuses such a config too.
    let dir = tempfile::tempdir().unwrap();
    let out = support::fixture(
        "apps = []\n[check]\nsilence = [\"nope\"]\n",
        &dir.path().join("x.db"),
        &["routes"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[check.E070]"));
}

#[test]
fn an_openapi_component_defined_differently_by_two_apps_names_both() {
    let (code, report) = check("apps = [\"apps.doc_a\", \"apps.doc_b\"]\n");
    assert_eq!(code, 1, "{report}");
    let found = errors(&report, "openapi.E072");
    assert_eq!(found.len(), 1, "{report}");
    let message = text(found[0], "message");
    assert!(
        message.contains("`schemas.Item` is defined differently by app `doc_a` and app `doc_b`"),
        "{message}"
    );
    assert_actionable(found[0]);
    // Each alone is fine.
    assert_eq!(check("apps = [\"apps.doc_a\"]\n").0, 0);
    assert_eq!(check("apps = [\"apps.doc_b\"]\n").0, 0);
    // With the document off it does not stop the project; printing it still fails.
    let both = "apps = [\"apps.doc_a\", \"apps.doc_b\"]\n";
    let dir = tempfile::tempdir().unwrap();
    let off = [("OPENAPI", "false")];
    let out = support::fixture_in(both, &dir.path().join("x.db"), &["check"], &off);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = support::fixture_in(both, &dir.path().join("x.db"), &["openapi"], &off);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("[openapi.E072]"));
}

#[test]
fn an_app_route_where_the_docs_are_served_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let config = "apps = [\"apps.doc_a\"]\n";
    let out = support::fixture_in(
        config,
        &dir.path().join("x.db"),
        &["check", "--json"],
        &[("DOCS_PATH", "/doc_a/items")],
    );
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let found = errors(&report, "openapi.E073");
    assert_eq!(found.len(), 1, "{report}");
    assert!(
        text(found[0], "message").contains("`GET /doc_a/items` of app `doc_a`"),
        "{report}"
    );
    assert_actionable(found[0]);
    // With the docs off, the path is the app's.
    let out = support::fixture_in(
        config,
        &dir.path().join("x.db"),
        &["check"],
        &[("DOCS_PATH", "/doc_a/items"), ("OPENAPI", "false")],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A docs path that is not a path is a settings error.
    let out = support::fixture_in(
        config,
        &dir.path().join("x.db"),
        &["check"],
        &[("DOCS_PATH", "docs")],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[settings.E020] setting `docs_path`"));
    // Nor may the document and the page share a path.
    let out = support::fixture_in(
        config,
        &dir.path().join("x.db"),
        &["check"],
        &[("OPENAPI_PATH", "/docs")],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("[settings.E020] settings `openapi_path` and `docs_path` are both `/docs`"),
        "{stderr}"
    );
}

#[test]
fn dotenv_errors_name_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let run = |dotenv: Option<&str>, env: &[(&str, &str)]| {
        let path = dir.path().join(".env");
        let _ = std::fs::remove_file(&path);
        let _ = std::fs::remove_dir(&path);
        match dotenv {
            Some(text) => std::fs::write(&path, text).unwrap(),
            None => std::fs::create_dir(&path).unwrap(),
        }
        let mut cmd = support::example_command(dir.path(), &db, &["settings", "--json"]);
        cmd.env_remove("PORT").envs(env.iter().copied());
        let out = cmd.output().unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (code, _, stderr) = run(Some("# settings\nPORT=abc\n"), &[]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("[settings.E020] setting `port` from .env:2 (PORT) is not an integer"),
        "{stderr}"
    );
    assert!(stderr.contains("--> .env:2"), "{stderr}");
    let (code, _, stderr) = run(Some("A=1\nB=\"unterminated\n"), &[]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("[settings.E024]") && stderr.contains("--> .env:2:16"),
        "{stderr}"
    );
    // A line that does not parse is named by its key, never its value.
    let (code, _, stderr) = run(Some("DATABASE_URL=\"postgres://app:hunter3@db/app\n"), &[]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("line 1 does not parse: `DATABASE_URL=…`"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter3"), "{stderr}");
    let (code, _, stderr) = run(Some("A=1\nB C=2\n"), &[]);
    assert_eq!(code, 1);
    assert!(stderr.contains("--> .env:2:3"), "{stderr}");
    // A NUL in a value (the environment cannot hold one): the rule and the
    // line, never a panic, and never the value.
    let (code, _, stderr) = run(Some("A=1\nAPI_TOKEN=hunter2\0rest\n"), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("[settings.E024]")
            && stderr.contains("`API_TOKEN` holds a NUL")
            && stderr.contains("--> .env:2"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("hunter2") && !stderr.contains("panicked"),
        "{stderr}"
    );
    // A .env directory is not silently skipped: its settings would be lost.
    let (code, _, stderr) = run(None, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("[settings.E024] .env is not a file") && stderr.contains("--> .env"),
        "{stderr}"
    );
    // .env sets what the environment does not; the environment wins.
    let (code, stdout, stderr) = run(Some("PORT=7001\n"), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(serde_json::from_str::<Value>(&stdout).unwrap()["port"], 7001);
    let (_, stdout, _) = run(Some("PORT=7001\n"), &[("PORT", "7002")]);
    assert_eq!(serde_json::from_str::<Value>(&stdout).unwrap()["port"], 7002);
}

#[test]
fn an_argument_that_is_not_utf8_is_a_usage_error_not_a_panic() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("app.db");
    for args in [&["migrate", "app"][..], &["check", "--fail-level"][..]] {
        let out = support::example_command(dir.path(), &db, args)
            .arg(std::ffi::OsStr::from_bytes(b"caf\xe9"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains("[cli.E080]"), "{stderr}");
        assert!(stderr.contains("--> command line: example-project"), "{stderr}");
        assert!(
            stderr.contains("caf\u{fffd}"),
            "the argument, shown lossily: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn a_closed_or_full_stdout_never_panics_and_only_a_full_one_fails() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("app.db");
    // `command | head` where head has already gone: stdout's read end is
    // closed before the command writes, so its first write is EPIPE.
    let run_closed = |args: &[&str]| {
        let mut child = support::example_command(dir.path(), &db, args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    for args in [
        &["migrate"][..],
        &["routes"],
        &["openapi"],
        &["apps", "list"],
        &["migrate", "status"],
    ] {
        let (code, stderr) = run_closed(args);
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
    // A write that fails otherwise (a full disk) fails the command.
    let full = std::fs::File::create("/dev/full").unwrap();
    let out = support::example_command(dir.path(), &db, &["openapi"])
        .stdout(full)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot write to standard output"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    // `migrate` above applied everything though nobody read what it said.
    let out = support::example_command(dir.path(), &db, &["migrate", "--check"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A setting's environment variable that is not UTF-8 is refused, naming
/// it, not read as unset (which used the default without a word).
#[test]
fn an_environment_value_that_is_not_utf8_is_refused() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("app.db");
    for (name, raw) in [
        ("PORT", &b"8\xff"[..]),
        ("DATABASE_URL", b"/tmp/x\xff.db"),
        ("APP_PAGE_SIZE", b"\xfe"),
    ] {
        let out = support::example_command(dir.path(), &db, &["check"])
            .env(name, std::ffi::OsStr::from_bytes(raw))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        assert!(stderr.contains("[settings.E020]"), "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("--> environment variable {name}")),
            "{name}: {stderr}"
        );
    }
    assert!(!dir.path().join("x\u{fffd}.db").exists());
}

/// Errors and warnings reach stderr through the same never-panicking output:
/// a closed stderr loses them quietly, a full one fails the command (exit
/// 1, the status an error has anyway), and neither panics (exit 101).
#[test]
fn a_closed_or_full_stderr_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("app.db");
    let run = |args: &[&str], full: bool| {
        // `apps = []`: every linked app is a warning (app.W001).
        let mut command = support::fixture_command(dir.path(), "apps = []\n", &db, args);
        command.stdout(Stdio::null());
        let status = if full {
            command
                .stderr(std::fs::File::create("/dev/full").unwrap())
                .status()
                .unwrap()
        } else {
            let mut child = command.stderr(Stdio::piped()).spawn().unwrap();
            drop(child.stderr.take());
            child.wait().unwrap()
        };
        status.code()
    };
    for full in [false, true] {
        // An error: exit 1 either way.
        assert_eq!(
            run(&["migrate", "--to", "no-such-migration"], full),
            Some(1),
            "full: {full}"
        );
        assert_eq!(run(&["no-such-command"], full), Some(1), "full: {full}");
        // Warnings only: lost to a full stderr, the command fails.
        assert_eq!(
            run(&["check"], full),
            Some(if full { 1 } else { 0 }),
            "full: {full}"
        );
    }
    let out = std::process::Command::new(support::cargo_fastapp_binary())
        .args(["fastapp", "new", "Not-A-Name"])
        .current_dir(dir.path())
        .stderr(std::fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

/// `--version` (and `-V`) print the program's name and versions on stdout
/// and succeed: the project's CLI with fastapp's version beside its own,
/// `cargo fastapp` its own.
#[test]
fn the_project_cli_and_cargo_fastapp_print_their_versions() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("version.db");
    for flag in ["--version", "-V"] {
        let out = support::example_command(dir.path(), &db, &[flag])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{flag}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            stdout.trim(),
            format!("example-project 0.1.0 (fastapp {})", env!("CARGO_PKG_VERSION")),
            "{flag}"
        );
    }
    assert!(!db.exists(), "--version touches no database");
    let out = std::process::Command::new(support::cargo_fastapp_binary())
        .args(["fastapp", "--version"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout.trim(),
        format!("cargo fastapp {}", env!("CARGO_PKG_VERSION"))
    );
}

/// `cargo fastapp -q` prints nothing but errors; `-v` (anywhere on the
/// line) every file it wrote too.
#[test]
fn cargo_fastapp_q_and_v_set_how_much_it_says() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(support::cargo_fastapp_binary())
            .current_dir(dir.path())
            .arg("fastapp")
            .args(args)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        (out.status.code(), stdout, stderr)
    };
    let (code, stdout, _) = run(&["-q", "new", "hush"]);
    assert_eq!((code, stdout.as_str()), (Some(0), ""));
    assert!(dir.path().join("hush/Cargo.toml").is_file());

    let (code, stdout, _) = run(&["new", "plain"]);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("created project `plain`"), "{stdout}");
    assert!(!stdout.contains("wrote"), "{stdout}");

    let (code, stdout, _) = run(&["new", "loud", "-v"]);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("created project `loud`"), "{stdout}");
    let manifest = format!(
        "wrote {}",
        std::path::Path::new("loud").join("Cargo.toml").display()
    );
    assert!(stdout.contains(&manifest), "{manifest} in {stdout}");

    // An error is printed whatever the level.
    let (code, stdout, stderr) = run(&["-q", "new", "hush"]);
    assert_eq!((code, stdout.as_str()), (Some(1), ""));
    assert!(stderr.contains("[scaffold.E063]"), "{stderr}");
}

/// On a terminal the log lines are coloured, unless `NO_COLOR` is set
/// (no-color.org); checked under a pseudo-terminal (`script`, util-linux).
#[test]
fn no_color_turns_the_colours_of_log_lines_off_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let run = |no_color: Option<&str>| -> String {
        let db = dir.path().join(format!("colours-{}.db", no_color.is_some()));
        let command = format!("'{}' migrate", support::example_binary().display());
        let mut script = std::process::Command::new("script");
        script
            .args(["-qec", &command, "/dev/null"])
            .current_dir(dir.path())
            .env("DATABASE_URL", &db)
            .env("RUST_LOG", "info")
            .env_remove("NO_COLOR")
            .stdin(Stdio::null());
        if let Some(value) = no_color {
            script.env("NO_COLOR", value);
        }
        let out = script.output().expect("`script` (util-linux) runs");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(out.status.success(), "{text}");
        assert!(text.contains("applied migration"), "{text}");
        text
    };
    assert!(run(None).contains("\u{1b}["), "coloured on a terminal");
    let plain = run(Some("1"));
    assert!(!plain.contains("\u{1b}["), "NO_COLOR=1: {plain}");
}

/// `completions bash` prints a script bash loads and completes with: the
/// project CLI's commands, and `cargo-fastapp`'s.
#[test]
fn completions_bash_completes_the_commands() {
    let dir = tempfile::tempdir().unwrap();
    let complete = |program: &Path, args: &[&str], function: &str, words: &str| -> String {
        let out = std::process::Command::new(program).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{program:?} {args:?}");
        let script = dir.path().join(format!("{function}.bash"));
        std::fs::write(&script, &out.stdout).unwrap();
        let shell = format!(
            "source '{}'; COMP_WORDS=({words}); COMP_CWORD=1; {function} \"${{COMP_WORDS[0]}}\" \"${{COMP_WORDS[1]}}\" \"${{COMP_WORDS[0]}}\"; echo \"${{COMPREPLY[*]}}\"",
            script.display()
        );
        let out = std::process::Command::new("bash")
            .args(["-c", &shell])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    let example = support::example_binary();
    assert_eq!(
        complete(
            example,
            &["completions", "bash"],
            "_example__project",
            "example-project mig"
        ),
        "migrate"
    );
    assert_eq!(
        complete(
            example,
            &["completions", "bash"],
            "_example__project",
            "example-project ro"
        ),
        "routes"
    );
    let cargo_fastapp = support::cargo_fastapp_binary();
    assert_eq!(
        complete(
            cargo_fastapp,
            &["fastapp", "completions", "bash"],
            "_cargo__fastapp",
            "cargo-fastapp de"
        ),
        "dev"
    );
    // Another shell, and a shell clap does not know (a usage error).
    let out = std::process::Command::new(example)
        .args(["completions", "zsh"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("#compdef example-project"));
    let out = std::process::Command::new(example)
        .args(["completions", "nosh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[cli.E080] invalid value 'nosh'"));
}

/// `-q` and `-v` set how many log lines reach stderr (the default is
/// `info`); `RUST_LOG`, when set, wins; `-v` also makes `apps list` verbose.
#[test]
fn quiet_and_verbose_flags_set_the_log_level_and_rust_log_wins() {
    let dir = tempfile::tempdir().unwrap();
    let stderr = |args: &[&str], rust_log: Option<&str>, db: &str| -> (Option<i32>, String) {
        let mut cmd = support::example_command(dir.path(), &dir.path().join(db), args);
        cmd.env_remove("RUST_LOG");
        if let Some(filter) = rust_log {
            cmd.env("RUST_LOG", filter);
        }
        let out = cmd.output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, log) = stderr(&["migrate"], None, "default.db");
    assert_eq!(code, Some(0), "{log}");
    assert!(
        log.contains(" INFO ") && log.contains("applied migration"),
        "{log}"
    );
    assert!(!log.contains("DEBUG"), "{log}");
    let (code, log) = stderr(&["-q", "migrate"], None, "quiet.db");
    assert_eq!(code, Some(0), "{log}");
    assert!(!log.contains("applied migration"), "-q: {log}");
    let (code, log) = stderr(&["routes", "-v"], None, "quiet.db");
    assert_eq!(code, Some(0), "{log}");
    assert!(
        log.contains("DEBUG") && log.contains("resolved the apps"),
        "-v: {log}"
    );
    let (code, log) = stderr(&["-q", "migrate"], Some("info"), "rust-log.db");
    assert_eq!(code, Some(0), "{log}");
    assert!(
        log.contains("applied migration"),
        "RUST_LOG=info wins over -q: {log}"
    );
    let (code, log) = stderr(&["-q", "-v", "routes"], None, "quiet.db");
    assert_eq!(code, Some(1), "{log}");
    assert!(log.contains("[cli.E080]"), "{log}");
}

/// `cargo fastapp new x | head -0`: the scaffolder prints through the same
/// never-panicking output as the project CLI; a closed stdout loses only
/// the messages, a full one fails the command (the project is written).
#[test]
fn cargo_fastapp_with_a_closed_or_full_stdout_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(support::cargo_fastapp_binary())
        .args(["fastapp", "new", "piped"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(dir.path().join("piped/fastapp.toml").is_file());
    let out = std::process::Command::new(support::cargo_fastapp_binary())
        .args(["fastapp", "new", "full"])
        .current_dir(dir.path())
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot write to standard output"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
