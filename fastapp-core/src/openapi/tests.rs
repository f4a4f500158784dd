use super::*;

/// Run with and without feature `swagger-ui` (`.ci/run` runs both).
#[tokio::test]
async fn swagger_ui_is_served_only_with_its_feature() {
    use tower::ServiceExt;
    let router: axum::Router = router(&OpenApi::default(), "/openapi.json", "/docs");
    let status = |path: &'static str| {
        let router = router.clone();
        async move {
            let request = axum::http::Request::get(path)
                .body(axum::body::Body::empty())
                .unwrap();
            router.oneshot(request).await.unwrap().status().as_u16()
        }
    };
    let on = cfg!(feature = "swagger-ui");
    assert_eq!(status("/openapi.json").await, 200);
    assert_eq!(status("/docs").await, if on { 200 } else { 404 });
    assert_eq!(
        status("/docs/assets/swagger-ui.css").await,
        if on { 200 } else { 404 }
    );
    let routes = docs_routes("/docs");
    assert_eq!(routes.contains(&"/docs".to_string()), on, "{routes:?}");
    assert!(routes.contains(&"/docs/apps".to_string()), "{routes:?}");
}

fn part(app: &str, prefix: &str, json: Value) -> Part {
    Part {
        app: app.into(),
        prefix: prefix.into(),
        document: serde_json::from_value(json).unwrap(),
    }
}

fn doc(paths: Value, schemas: Value) -> Value {
    serde_json::json!({
        "openapi": "3.1.0", "info": { "title": "t", "version": "1" },
        "paths": paths, "components": { "schemas": schemas }
    })
}

#[test]
fn prefixes_tags_and_shared_components() {
    let user = serde_json::json!({ "type": "object", "properties": { "id": { "type": "string" } } });
    let blog = part(
        "blog",
        "/blog",
        doc(
            serde_json::json!({ "/posts": { "get": { "responses": {} } }, "/": { "get": { "tags": ["x"], "responses": {} } } }),
            serde_json::json!({ "User": user.clone() }),
        ),
    );
    let home = part(
        "home",
        "",
        doc(
            serde_json::json!({ "/about": { "post": { "responses": {} } } }),
            serde_json::json!({ "User": user }),
        ),
    );
    let merged = serde_json::to_value(merge("demo", "1.0.0", &[blog, home]).unwrap()).unwrap();
    assert_eq!(merged["openapi"], "3.1.0");
    assert_eq!(merged["info"]["title"], "demo");
    assert_eq!(
        merged["paths"]["/blog/posts"]["get"]["tags"],
        serde_json::json!(["blog"])
    );
    assert_eq!(
        merged["paths"]["/blog"]["get"]["tags"],
        serde_json::json!(["blog", "x"])
    );
    assert_eq!(
        merged["paths"]["/about"]["post"]["tags"],
        serde_json::json!(["home"])
    );
    assert!(merged["components"]["schemas"]["User"].is_object());
    let tags: Vec<&str> = merged["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(tags, ["blog", "home"]);
}

#[test]
fn a_component_defined_differently_by_two_apps_names_both() {
    let a = part(
        "accounts",
        "/accounts",
        doc(
            serde_json::json!({}),
            serde_json::json!({ "User": { "type": "object" } }),
        ),
    );
    let b = part(
        "shop",
        "/shop",
        doc(
            serde_json::json!({}),
            serde_json::json!({ "User": { "type": "string" } }),
        ),
    );
    let errors = merge("demo", "1", &[a, b]).err().expect("a conflict");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].id, "openapi.E072");
    assert!(
        errors[0].message.contains("`schemas.User`"),
        "{}",
        errors[0].message
    );
    assert!(errors[0].message.contains("app `accounts`"));
    assert!(errors[0].message.contains("app `shop`"));
}

#[test]
fn one_operation_documented_by_two_apps_names_both() {
    let paths = serde_json::json!({ "/items": { "get": { "responses": {} } } });
    let a = part("shop", "", doc(paths.clone(), serde_json::json!({})));
    let b = part("blog", "", doc(paths, serde_json::json!({})));
    let errors = merge("demo", "1", &[a, b]).err().expect("a conflict");
    assert_eq!(errors[0].id, "openapi.E072");
    assert!(
        errors[0]
            .message
            .contains("`GET /items` is documented by app `shop` and app `blog`"),
        "{}",
        errors[0].message
    );
}

#[test]
fn an_apps_tag_description_and_security_are_kept() {
    let mut json = doc(
        serde_json::json!({ "/me": { "get": { "responses": {} } }, "/open": { "get": { "security": [], "responses": {} } } }),
        serde_json::json!({}),
    );
    json["tags"] = serde_json::json!([{ "name": "accounts", "description": "Users" }, { "name": "admin" }]);
    json["security"] = serde_json::json!([{ "token": [] }]);
    let merged = merge("demo", "1", &[part("accounts", "/accounts", json)]).unwrap();
    let merged = serde_json::to_value(merged).unwrap();
    assert_eq!(
        merged["tags"],
        serde_json::json!([{ "name": "accounts", "description": "Users" }, { "name": "admin" }])
    );
    assert_eq!(
        merged["paths"]["/accounts/me"]["get"]["security"],
        serde_json::json!([{ "token": [] }])
    );
    assert_eq!(
        merged["paths"]["/accounts/open"]["get"]["security"],
        serde_json::json!([])
    );
}
