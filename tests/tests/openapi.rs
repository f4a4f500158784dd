//! The example's merged OpenAPI document and its docs page (Swagger UI),
//! served by a real server on loopback and driven in a real headless browser
//! (Debian's `chromium`, installed by `scripts/test.sh`; no network) over
//! the Chrome DevTools Protocol.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use support::Server;

/// The example's documented routes, from `routes --json`: the apps', and
/// fastapp's health and readiness (not the document and docs page).
fn app_routes(dir: &Path, db: &Path) -> Vec<(String, String, String)> {
    let out = support::example_command(dir, db, &["routes", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let routes: Value = serde_json::from_slice(&out.stdout).unwrap();
    routes
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["app"] != "fastapp" || r["path"] == "/healthz" || r["path"] == "/readyz")
        .map(|r| {
            let field = |k: &str| r[k].as_str().unwrap().to_string();
            (field("method"), field("path"), field("app"))
        })
        .collect()
}

#[test]
fn every_route_of_every_app_is_documented_under_its_prefix_and_tag() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let routes = app_routes(dir.path(), &db);
    assert_eq!(routes.len(), 10);

    // The CLI prints the same document the server serves.
    let out = support::example_command(dir.path(), &db, &["openapi"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();

    let server = Server::start(dir.path(), &db);
    let served: Value = serde_json::from_str(&support::get_text(&server.url("/openapi.json"))).unwrap();
    assert_eq!(printed, served);
    assert_eq!(served["openapi"], "3.1.0");
    assert_eq!(served["info"]["title"], "example_project");
    let tags: Vec<&str> = served["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(tags, ["accounts", "blog", "newsletter", "fastapp"]);

    let mut documented = 0;
    for (path, item) in served["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            documented += 1;
            let route = (
                method.to_uppercase(),
                path.clone(),
                operation["tags"][0].as_str().unwrap().to_string(),
            );
            assert!(
                routes.contains(&route),
                "documented {route:?} is a route of that app: {routes:?}"
            );
        }
    }
    assert_eq!(documented, routes.len(), "every route is documented");
    // The external crate's schemas are there, referenced under its prefix.
    assert!(served["components"]["schemas"]["Subscriber"].is_object());
    let post = &served["paths"]["/newsletter/subscribers"]["post"];
    assert_eq!(
        post["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/NewSubscriber"
    );
    server.stop();
}

/// Every operation describes the answers fastapp gives itself (400, 503;
/// 408, 413, 415 and 422 where it takes a body) with `ErrorBody`; the
/// validation the handlers do is in the schemas (blank names, an `@`, no
/// unknown field, no NUL); and fastapp really answers so.
#[test]
fn the_document_describes_fastapps_own_answers_and_the_handlers_rules() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let server = Server::start(dir.path(), &db);
    let served: Value = serde_json::from_str(&support::get_text(&server.url("/openapi.json"))).unwrap();
    let error_body = serde_json::json!({"$ref": "#/components/schemas/ErrorBody"});
    let mut operations = 0;
    for (path, item) in served["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            operations += 1;
            let takes_body = operation.get("requestBody").is_some();
            for (status, body_only) in [
                ("400", false),
                ("503", false),
                ("408", true),
                ("413", true),
                ("415", true),
                ("422", true),
            ] {
                let response = &operation["responses"][status];
                if body_only && !takes_body {
                    assert!(response.is_null(), "{method} {path}: {status} without a body");
                    continue;
                }
                assert!(response.is_object(), "{method} {path} describes {status}");
                // (Readiness describes its own 503: which checks failed.)
                if !(path == "/readyz" && status == "503") {
                    assert_eq!(
                        response["content"]["application/json"]["schema"], error_body,
                        "{method} {path} describes {status} with ErrorBody"
                    );
                }
            }
        }
    }
    assert_eq!(operations, 10);
    assert!(served["components"]["schemas"]["ErrorBody"].is_object());
    // The handlers' rules, in the schemas.
    let create_user = &served["components"]["schemas"]["CreateUser"];
    assert_eq!(create_user["additionalProperties"], false, "{create_user}");
    assert_eq!(
        create_user["properties"]["username"]["allOf"][0]["pattern"],
        "[^ \t\n\r]"
    );
    assert_eq!(create_user["properties"]["email"]["allOf"][0]["pattern"], "@");
    assert_eq!(create_user["propertyNames"]["pattern"], "^[^\\u0000]*$");
    assert_eq!(
        served["paths"]["/newsletter/subscribers"]["post"]["responses"]["409"]["content"]["application/json"]
            ["schema"],
        error_body
    );
    // And the answers are what the document says.
    let post = |body: &str, content_type: &str| {
        let response = support::http()
            .post(&server.url("/accounts/users"))
            .set("Content-Type", content_type)
            .send_string(body);
        let response = match response {
            Ok(response) | Err(ureq::Error::Status(_, response)) => response,
            Err(err) => panic!("{err}"),
        };
        let status = response.status();
        let json: Value = serde_json::from_str(&response.into_string().unwrap()).unwrap();
        assert!(status == 201 || json["error"].is_string(), "{json}");
        status
    };
    assert_eq!(
        post(r#"{"username": " \t", "email": "a@b"}"#, "application/json"),
        422
    );
    assert_eq!(
        post(r#"{"username": "a", "email": "ab"}"#, "application/json"),
        422
    );
    assert_eq!(
        post(
            r#"{"username": "a", "email": "a@b", "admin": true}"#,
            "application/json"
        ),
        422
    );
    assert_eq!(
        post(r#"{"username": "a\u0000", "email": "a@b"}"#, "application/json"),
        400
    );
    assert_eq!(post(r#"{"username": "#, "application/json"), 400);
    assert_eq!(post(r#"{"username": "a", "email": "a@b"}"#, "text/plain"), 415);
    assert_eq!(
        post(r#"{"username": "\u2003", "email": "a@b"}"#, "application/json"),
        201,
        "not blank by the schema's rule"
    );
    server.stop();
}

#[test]
fn paths_and_switch_are_settings() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let status = |url: String| match support::http().get(&url).call() {
        Ok(r) => r.status(),
        Err(ureq::Error::Status(code, _)) => code,
        Err(err) => panic!("{err}"),
    };
    let server = Server::start_with(
        dir.path(),
        &db,
        &[("OPENAPI_PATH", "/api/schema.json"), ("DOCS_PATH", "/api/docs")],
    );
    assert_eq!(status(server.url("/api/schema.json")), 200);
    let page = support::get_text(&server.url("/api/docs"));
    assert!(page.contains("\"url\": \"/api/schema.json\""), "{page}");
    assert!(
        page.contains("\"/api/docs/assets/swagger-ui-bundle.js\""),
        "{page}"
    );
    assert_eq!(status(server.url("/api/docs/assets/swagger-ui-bundle.js")), 200);
    assert_eq!(status(server.url("/docs")), 404);
    server.stop();

    let server = Server::start_with(dir.path(), &db, &[("OPENAPI", "false")]);
    assert_eq!(status(server.url("/openapi.json")), 404);
    assert_eq!(status(server.url("/docs")), 404);
    assert_eq!(status(server.url("/blog/posts")), 200);
    server.stop();
}

/// Debian's chromium (or `FASTAPP_TEST_CHROMIUM`).
fn chromium() -> PathBuf {
    if let Some(path) = std::env::var_os("FASTAPP_TEST_CHROMIUM") {
        return path.into();
    }
    for candidate in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] {
        if Path::new(candidate).exists() {
            return candidate.into();
        }
    }
    panic!("no chromium: run `bash scripts/test.sh` (it installs Debian's chromium) or set FASTAPP_TEST_CHROMIUM");
}

/// The flags every headless run here takes.
const HEADLESS: [&str; 7] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--hide-scrollbars",
    "--window-size=1200,1000",
];

/// A headless chromium driven over the Chrome DevTools Protocol: one page,
/// every request it sends recorded.
struct Browser {
    chromium: support::KillOnDrop,
    socket: tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<std::net::TcpStream>>,
    session: String,
    next_id: u64,
    /// The URL of every request the page sent (`Network.requestWillBeSent`).
    requests: Vec<String>,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn launch() -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let chromium = Command::new(chromium())
            .args(HEADLESS)
            .arg("--remote-debugging-port=0")
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("run chromium");
        let chromium = support::KillOnDrop(chromium);
        // Chromium writes its port and the browser's endpoint here once it listens.
        let active = profile.path().join("DevToolsActivePort");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        let endpoint = loop {
            if let Ok(text) = std::fs::read_to_string(&active) {
                let lines: Vec<&str> = text.lines().collect();
                if lines.len() == 2 {
                    break format!("ws://127.0.0.1:{}{}", lines[0], lines[1]);
                }
            }
            assert!(
                std::time::Instant::now() < deadline,
                "chromium did not start its DevTools endpoint"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        };
        let (socket, _) = tungstenite::connect(endpoint.as_str()).expect("connect to chromium's DevTools");
        if let tungstenite::stream::MaybeTlsStream::Plain(stream) = socket.get_ref() {
            // A hung browser fails the test instead of hanging it.
            stream
                .set_read_timeout(Some(std::time::Duration::from_secs(180)))
                .unwrap();
        }
        let mut browser = Browser {
            chromium,
            socket,
            session: String::new(),
            next_id: 0,
            requests: Vec::new(),
            _profile: profile,
        };
        let target = browser.call("Target.createTarget", serde_json::json!({ "url": "about:blank" }));
        let attached = browser.call(
            "Target.attachToTarget",
            serde_json::json!({ "targetId": target["targetId"], "flatten": true }),
        );
        browser.session = attached["sessionId"].as_str().unwrap().to_string();
        browser.call("Network.enable", serde_json::json!({}));
        browser.call("Page.enable", serde_json::json!({}));
        browser
    }

    /// Sends `method` (to the page once attached) and returns its result,
    /// recording the events that arrive meanwhile.
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = serde_json::json!({ "id": id, "method": method, "params": params });
        if !self.session.is_empty() {
            message["sessionId"] = self.session.clone().into();
        }
        self.socket
            .send(tungstenite::Message::text(message.to_string()))
            .expect("send to chromium");
        loop {
            let message = self.socket.read().expect("read from chromium");
            let Ok(text) = message.to_text() else { continue };
            let Ok(message) = serde_json::from_str::<Value>(text) else {
                continue;
            };
            if message["method"] == "Network.requestWillBeSent" {
                self.requests.push(
                    message["params"]["request"]["url"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                );
            }
            if message["id"] == id {
                assert!(message["error"].is_null(), "{method}: {message}");
                return message["result"].clone();
            }
        }
    }

    /// Evaluates `script` (an expression, awaited if a promise) in the page.
    fn eval(&mut self, script: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            serde_json::json!({ "expression": script, "awaitPromise": true, "returnByValue": true }),
        );
        assert!(result["exceptionDetails"].is_null(), "{script}: {result}");
        result["result"]["value"].clone()
    }

    /// A PNG of the page, kept as a test artifact (`<target>/test-artifacts/<name>`),
    /// checked to be a real picture of at least `min_bytes`.
    fn screenshot(&mut self, name: &str, min_bytes: usize) {
        let shot = self.call("Page.captureScreenshot", serde_json::json!({ "format": "png" }));
        let png = base64::Engine::decode(
            &base64::engine::general_purpose::STANDARD,
            shot["data"].as_str().unwrap(),
        )
        .unwrap();
        assert!(
            png.starts_with(b"\x89PNG") && png.len() > min_bytes,
            "a real screenshot: {} bytes",
            png.len()
        );
        let artifacts = support::target_dir().join("test-artifacts");
        std::fs::create_dir_all(&artifacts).unwrap();
        std::fs::write(artifacts.join(name), &png).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.chromium.0.kill();
    }
}

/// Waits in the page (up to two minutes) for `selector`, then `then` (a
/// function body given `el`, the first match).
fn when(selector: &str, then: &str) -> String {
    format!(
        "new Promise((resolve, reject) => {{ const end = Date.now() + 120000; \
         const poll = () => {{ const el = document.querySelector({selector:?}); \
         if (el) {{ try {{ resolve((el => {{ {then} }})(el)); }} catch (e) {{ reject(e); }} }} \
         else if (Date.now() > end) {{ reject(new Error('no ' + {selector:?} + ' in ' + document.body.innerText.slice(0, 3000))); }} \
         else {{ setTimeout(poll, 100); }} }}; poll(); }})"
    )
}

#[test]
fn swagger_ui_shows_every_app_and_tries_an_operation_offline_in_a_real_browser() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let routes = app_routes(dir.path(), &db);
    let server = Server::start(dir.path(), &db);
    let agent = support::http();
    let (status, user) = support::send(
        agent.post(&server.url("/accounts/users")),
        Some(serde_json::json!({ "username": "ada", "email": "ada@example.com" })),
    );
    assert_eq!(status, 201, "{user}");
    let (status, post) = support::send(
        agent.post(&server.url("/blog/posts")),
        Some(serde_json::json!({ "author_id": user["id"], "title": "Seen through Swagger UI", "body": "x" })),
    );
    assert_eq!(status, 201, "{post}");

    let mut browser = Browser::launch();
    browser.call("Page.navigate", serde_json::json!({ "url": server.url("/docs") }));

    // Every operation of every app, under its app's tag.
    let shown = browser.eval(&when(
        ".opblock",
        "return [...document.querySelectorAll('.opblock-tag-section')].flatMap(section => \
         [...section.querySelectorAll('.opblock')].map(op => [ \
           op.querySelector('.opblock-summary-method').textContent, \
           op.querySelector('.opblock-summary-path').dataset.path, \
           section.querySelector('.opblock-tag').dataset.tag]));",
    ));
    let shown: Vec<(String, String, String)> = serde_json::from_value(shown).unwrap();
    for route in &routes {
        assert!(shown.contains(route), "{route:?} on the page: {shown:?}");
    }
    assert_eq!(shown.len(), routes.len(), "{shown:?}");

    // "Try it out" on GET /blog/posts: executed from the page, its answer rendered.
    let opened = browser.eval(
        "(() => { const op = [...document.querySelectorAll('.opblock-get')].find(op => \
           op.querySelector('.opblock-summary-path').dataset.path === '/blog/posts'); \
           op.querySelector('.opblock-summary-control').click(); return op.id; })()",
    );
    let op = format!("#{}", opened.as_str().unwrap());
    let button = browser.eval(&when(
        &format!("{op} .try-out__btn"),
        "const text = el.textContent.trim(); el.click(); return text;",
    ));
    assert_eq!(button, "Try it out");
    browser.eval(&when(&format!("{op} button.execute"), "el.click(); return true;"));
    let answer = browser.eval(&when(
        &format!("{op} .live-responses-table .response .response-col_status"),
        "const response = el.closest('.response'); \
         return [el.textContent.trim(), response.querySelector('.response-col_description pre, .highlight-code').textContent];",
    ));
    let (status, body): (String, String) = serde_json::from_value(answer).unwrap();
    assert_eq!(status, "200", "{body}");
    assert!(
        body.contains("Seen through Swagger UI"),
        "the rendered response: {body}"
    );

    // Everything the page loaded came from the server.
    assert!(browser.requests.len() >= 4, "{:?}", browser.requests);
    for url in &browser.requests {
        assert!(
            url.starts_with(&server.base) || url.starts_with("data:"),
            "the page requested {url} (outside {})",
            server.base
        );
    }
    assert!(
        browser.requests.contains(&server.url("/openapi.json")),
        "{:?}",
        browser.requests
    );
    assert!(
        browser.requests.contains(&server.url("/blog/posts")),
        "the operation was sent from the page: {:?}",
        browser.requests
    );

    browser.screenshot("docs.png", 10_000);
    drop(browser);
    server.stop();
}

#[test]
fn the_app_graph_is_a_picture_beside_the_docs_in_a_real_browser() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let routes = app_routes(dir.path(), &db);
    let server = Server::start(dir.path(), &db);

    let mut browser = Browser::launch();
    browser.call(
        "Page.navigate",
        serde_json::json!({ "url": server.url("/docs/apps") }),
    );
    // The SVG as the browser laid it out: each label drawn with a size.
    let drawn = browser.eval(&when(
        "#graph svg tspan",
        "return [...document.querySelectorAll('#graph svg tspan')].map(t => \
           [t.textContent.trim(), t.getComputedTextLength() > 0]);",
    ));
    let drawn: Vec<(String, bool)> = serde_json::from_value(drawn).unwrap();
    for (app, kind) in [
        ("accounts", "internal"),
        ("blog", "internal"),
        ("newsletter", "external"),
    ] {
        let count = routes.iter().filter(|(_, _, owner)| owner == app).count();
        for label in [format!("{app} ({kind})"), format!("/{app} · {count} routes")] {
            assert!(drawn.contains(&(label.clone(), true)), "{label} drawn: {drawn:?}");
        }
    }
    // One arrow: blog uses accounts.
    let arrows = browser.eval("document.querySelectorAll('#graph svg path').length");
    assert!(arrows.as_u64().unwrap() >= 1, "{arrows}");
    for url in &browser.requests {
        assert!(url.starts_with(&server.base), "the page requested {url}");
    }

    browser.screenshot("apps.png", 5_000);
    drop(browser);
    server.stop();
}
