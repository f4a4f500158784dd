//! One OpenAPI 3.1 document for the whole project, merged from the parts the
//! apps contribute with [`AppContext::document`](crate::AppContext::document),
//! and the routes that serve it (`/openapi.json`, and Swagger UI at `/docs`
//! embedded in the binary, feature `swagger-ui`; both paths and on/off are
//! settings).
//!
//! An app describes its routes as its router sees them (`/posts/{id}`);
//! the merge places each path under the app's prefix, tags each operation
//! with the app's name, and joins the components. A component name that two
//! apps define differently is `openapi.E072`, naming both apps.

use std::collections::BTreeMap;

use axum::response::IntoResponse;
use serde_json::{Map, Value};

pub use utoipa;
pub use utoipa::openapi::OpenApi;

use crate::Finding;

#[cfg(feature = "swagger-ui")]
mod docs;

/// The JSON body of an [`ApiError`](crate::ApiError) and of fastapp's own
/// error answers (`{"error": "..."}`), for apps' response descriptions:
/// `responses((status = 404, body = fastapp_core::openapi::ErrorBody))`.
///
/// ```
/// use utoipa::PartialSchema;
/// let schema = serde_json::to_value(fastapp_core::openapi::ErrorBody::schema()).unwrap();
/// assert_eq!(schema["required"], serde_json::json!(["error"]));
/// ```
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[schema(description = "What an error answer carries: `{\"error\": \"...\"}`.")]
pub struct ErrorBody {
    /// What went wrong.
    pub error: String,
}

/// One app's part of the document, as [`merge`] takes it.
///
/// ```
/// use fastapp_core::openapi::{merge, Part};
/// use utoipa::openapi::{path::{HttpMethod, OperationBuilder}, OpenApiBuilder, PathItem, PathsBuilder};
///
/// let document = OpenApiBuilder::new()
///     .paths(PathsBuilder::new().path("/posts", PathItem::new(HttpMethod::Get, OperationBuilder::new().build())))
///     .build();
/// let part = Part { app: "blog".into(), prefix: "/blog".into(), document };
/// let merged = merge("demo", "0.1.0", &[part]).unwrap();
/// assert!(merged.paths.paths.contains_key("/blog/posts"));
/// ```
#[derive(Clone)]
pub struct Part {
    /// The app.
    pub app: String,
    /// The app's mount prefix (`""` = root).
    pub prefix: String,
    /// The app's operations and components, with paths relative to its router.
    pub document: OpenApi,
}

impl std::fmt::Debug for Part {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Part")
            .field("app", &self.app)
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

/// Merges the apps' parts into one document titled `title`.
///
/// ```
/// use fastapp_core::openapi::{merge, Part};
/// use utoipa::openapi::{path::{HttpMethod, OperationBuilder, PathsBuilder}, OpenApiBuilder};
///
/// let part = |app: &str, prefix: &str| Part {
///     app: app.into(),
///     prefix: prefix.into(),
///     document: OpenApiBuilder::new()
///         .paths(PathsBuilder::new().path(
///             "/items/{id}",
///             utoipa::openapi::PathItem::new(HttpMethod::Get, OperationBuilder::new().build()),
///         ))
///         .build(),
/// };
/// let merged = merge("demo", "1.0.0", &[part("shop", "/shop"), part("blog", "")]).unwrap();
/// assert!(merged.paths.paths.contains_key("/shop/items/{id}"));
/// let get = merged.paths.paths["/items/{id}"].get.as_ref().unwrap();
/// assert_eq!(get.tags.as_deref(), Some(&["blog".to_string()][..]));
/// ```
pub fn merge(title: &str, version: &str, parts: &[Part]) -> Result<OpenApi, Vec<Finding>> {
    let mut merged = Merged::default();
    for part in parts {
        let Ok(Value::Object(document)) = serde_json::to_value(&part.document) else {
            continue;
        };
        merged.add_tags(part, &document);
        if let Some(Value::Object(part_paths)) = document.get("paths") {
            merged.add_paths(part, part_paths, document.get("security"));
        }
        if let Some(Value::Object(sections)) = document.get("components") {
            merged.add_components(part, sections);
        }
    }
    merged.finish(title, version)
}

/// The document as [`merge`] builds it, part by part.
#[derive(Default)]
struct Merged {
    paths: Map<String, Value>,
    /// section → name → (the app that defined it, its definition).
    components: BTreeMap<String, BTreeMap<String, (String, Value)>>,
    tags: Vec<Value>,
    /// (path, method) → the app that documents it.
    owners: BTreeMap<(String, String), String>,
    errors: Vec<Finding>,
}

impl Merged {
    /// The app's tag first (with the description the app gave it, if any),
    /// then the other tags it declares.
    fn add_tags(&mut self, part: &Part, document: &Map<String, Value>) {
        let declared = document
            .get("tags")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let own = declared.iter().find(|t| t["name"] == part.app.as_str()).cloned();
        self.tags
            .push(own.unwrap_or_else(|| serde_json::json!({ "name": part.app })));
        for tag in declared {
            if !self.tags.iter().any(|t| t["name"] == tag["name"]) {
                self.tags.push(tag);
            }
        }
    }

    /// The part's paths under its prefix, tagged with the app, with
    /// fastapp's own answers; an operation two apps document is `openapi.E072`.
    fn add_paths(&mut self, part: &Part, part_paths: &Map<String, Value>, security: Option<&Value>) {
        for (path, item) in part_paths {
            let full = under(&part.prefix, path);
            let mut item = item.clone();
            tag_operations(&mut item, &part.app, security);
            add_own_answers(&mut item);
            let Value::Object(item) = item else { continue };
            for method in item.keys().filter(|k| METHODS.contains(&k.as_str())) {
                let key = (full.clone(), method.clone());
                if let Some(owner) = self.owners.get(&key).filter(|owner| **owner != part.app) {
                    self.errors.push(
                        Finding::new(
                            "openapi.E072",
                            format!(
                                "OpenAPI operation `{} {full}` is documented by app `{owner}` and app `{}`",
                                method.to_uppercase(),
                                part.app
                            ),
                            "document each route in the app that serves it (the paths of an app's part are relative to its prefix)",
                        )
                        .app(part.app.clone())
                        .location(format!("#/paths/{full}/{method} ({owner}, {})", part.app)),
                    );
                }
                self.owners.insert(key, part.app.clone());
            }
            match self.paths.get_mut(&full) {
                Some(Value::Object(existing)) => existing.extend(item),
                _ => {
                    self.paths.insert(full, Value::Object(item));
                }
            }
        }
    }

    /// The part's components; one two apps define differently is `openapi.E072`.
    fn add_components(&mut self, part: &Part, sections: &Map<String, Value>) {
        for (section, entries) in sections {
            let Value::Object(entries) = entries else { continue };
            let known = self.components.entry(section.clone()).or_default();
            for (name, definition) in entries {
                match known.get(name) {
                    Some((owner, existing)) if existing != definition => self.errors.push(
                        Finding::new(
                            "openapi.E072",
                            format!(
                                "OpenAPI component `{section}.{name}` is defined differently by app `{owner}` and app `{}`",
                                part.app
                            ),
                            format!(
                                "rename one of them (utoipa: `#[schema(as = {}::{name})]`), or make both apps use one shared type",
                                part.app
                            ),
                        )
                        .app(part.app.clone())
                        .location(format!("#/components/{section}/{name} ({owner}, {})", part.app)),
                    ),
                    Some(_) => {}
                    None => {
                        known.insert(name.clone(), (part.app.clone(), definition.clone()));
                    }
                }
            }
        }
    }

    /// The merged document, or every conflict found.
    fn finish(self, title: &str, version: &str) -> Result<OpenApi, Vec<Finding>> {
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        let mut paths = self.paths;
        let mut components: Map<String, Value> = self
            .components
            .into_iter()
            .map(|(section, entries)| {
                let entries = entries
                    .into_iter()
                    .map(|(name, (_, value))| (name, value))
                    .collect();
                (section, Value::Object(entries))
            })
            .collect();
        without_nul(&mut paths, &mut components);
        if !paths.is_empty() {
            // What fastapp's own answers refer to.
            if let Value::Object(schemas) = components
                .entry("schemas")
                .or_insert_with(|| Value::Object(Map::new()))
            {
                schemas.entry("ErrorBody").or_insert_with(|| {
                    serde_json::to_value(<ErrorBody as utoipa::PartialSchema>::schema()).unwrap_or_default()
                });
            }
        }
        let mut document = serde_json::json!({
            "openapi": "3.1.0",
            "info": { "title": title, "version": version },
            "paths": paths,
            "tags": self.tags,
        });
        if !components.is_empty() {
            document["components"] = Value::Object(components);
        }
        serde_json::from_value(document).map_err(|err| {
            vec![Finding::new(
                "openapi.E074",
                format!("the merged OpenAPI document is not valid: {err}"),
                "check the apps' OpenAPI parts (utoipa) for hand-written JSON",
            )]
        })
    }
}

/// `prefix` + `path`, with the app's root `/` at the prefix itself.
fn under(prefix: &str, path: &str) -> String {
    match (prefix, path) {
        ("", path) => path.to_string(),
        (prefix, "/" | "") => prefix.to_string(),
        (prefix, path) => format!("{prefix}{path}"),
    }
}

/// The operations of an OpenAPI path item.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Puts `app` first among the tags of every operation of a path item, and
/// gives operations without their own `security` the app's document-level one.
fn tag_operations(item: &mut Value, app: &str, security: Option<&Value>) {
    let Value::Object(item) = item else { return };
    for method in METHODS {
        if let Some(Value::Object(operation)) = item.get_mut(method) {
            if let Some(security) = security {
                operation.entry("security").or_insert_with(|| security.clone());
            }
            let mut tags = vec![Value::from(app)];
            if let Some(Value::Array(own)) = operation.get("tags") {
                tags.extend(own.iter().filter(|t| t.as_str() != Some(app)).cloned());
            }
            operation.insert("tags".into(), Value::Array(tags));
        }
    }
}

/// The answers fastapp gives itself, before or around any handler, each
/// with the [`ErrorBody`] schema: `(status, only for operations that take a
/// body, description)`. [`merge`] adds them to every operation that does not
/// describe the status itself.
pub const OWN_ANSWERS: [(&str, bool, &str); 6] = [
    (
        "400",
        false,
        "The request cannot be read (fastapp): a NUL character in the path, query or JSON body; \
         malformed JSON; a number too large for its field; a path or query parameter of the wrong type",
    ),
    (
        "408",
        true,
        "The body arrived slower than `request_timeout` allows (fastapp; only when it is set)",
    ),
    ("413", true, "The body is larger than `body_limit` (fastapp)"),
    (
        "415",
        true,
        "The body is not JSON: `Content-Type` is not `application/json` (fastapp)",
    ),
    (
        "422",
        true,
        "The JSON does not fit the request's schema: a missing field, a wrong type (fastapp)",
    ),
    (
        "503",
        false,
        "The database is unavailable, or no connection was free within `db_timeout`, \
         or `request_timeout` passed (fastapp)",
    ),
];

/// The pattern of a string without NUL: fastapp refuses a NUL anywhere in a
/// request (400; PostgreSQL cannot store one), so no string the document
/// describes holds one.
pub const NO_NUL: &str = "^[^\\u0000]*$";

/// Says [`NO_NUL`] of every string (and every object's property names) the
/// apps' schemas describe: the components (but `ErrorBody`, whose words are
/// fastapp's or an app's), and the parameters, request bodies and responses
/// of every operation.
///
/// ```
/// use fastapp_core::openapi::{merge, Part, NO_NUL};
/// let document = serde_json::from_value(serde_json::json!({
///     "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
///     "paths": {"/users/{id}": {"get": {
///         "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
///         "responses": {"200": {"description": "ok"}}}}},
///     "components": {"schemas": {"CreateUser": {"type": "object", "properties": {
///         "name": {"type": "string", "pattern": "[^ ]"},
///         "tags": {"type": "array", "items": {"type": ["string", "null"]}}}}}}
/// })).unwrap();
/// let merged = merge("demo", "0.1.0", &[Part { app: "accounts".into(), prefix: "".into(), document }]).unwrap();
/// let json = serde_json::to_value(&merged).unwrap();
/// assert_eq!(json["paths"]["/users/{id}"]["get"]["parameters"][0]["schema"]["pattern"], NO_NUL);
/// let user = &json["components"]["schemas"]["CreateUser"];
/// assert_eq!(user["propertyNames"]["pattern"], NO_NUL);
/// let name = &user["properties"]["name"]["allOf"];
/// assert_eq!(name[0]["pattern"], "[^ ]", "its own pattern is kept");
/// assert_eq!(name[1]["pattern"], NO_NUL);
/// assert_eq!(user["properties"]["tags"]["items"]["pattern"], NO_NUL);
/// ```
fn without_nul(paths: &mut Map<String, Value>, components: &mut Map<String, Value>) {
    if let Some(Value::Object(schemas)) = components.get_mut("schemas") {
        for (name, schema) in schemas.iter_mut() {
            if name != "ErrorBody" {
                no_nul_in(schema);
            }
        }
    }
    let in_content = |holder: &mut Value| {
        if let Some(Value::Object(content)) = holder.get_mut("content") {
            content
                .values_mut()
                .filter_map(|media| media.get_mut("schema"))
                .for_each(no_nul_in);
        }
    };
    for item in paths.values_mut() {
        let Value::Object(item) = item else { continue };
        let parameters = |holder: &mut Map<String, Value>| {
            if let Some(Value::Array(parameters)) = holder.get_mut("parameters") {
                parameters
                    .iter_mut()
                    .filter_map(|parameter| parameter.get_mut("schema"))
                    .for_each(no_nul_in);
            }
        };
        parameters(item);
        for method in METHODS {
            let Some(Value::Object(operation)) = item.get_mut(method) else {
                continue;
            };
            parameters(operation);
            if let Some(body) = operation.get_mut("requestBody") {
                in_content(body);
            }
            if let Some(Value::Object(responses)) = operation.get_mut("responses") {
                for response in responses.values_mut() {
                    // fastapp's own answers and an app's error bodies are words, not data.
                    let is_error_body = response
                        .pointer("/content/application~1json/schema/$ref")
                        .is_some_and(|r| r == "#/components/schemas/ErrorBody");
                    if !is_error_body {
                        in_content(response);
                    }
                }
            }
        }
    }
}

/// [`NO_NUL`] on `schema` and every schema inside it. A string that has a
/// pattern of its own becomes `allOf` it and a string without NUL (one
/// schema has one `pattern`).
fn no_nul_in(value: &mut Value) {
    let Value::Object(schema) = value else { return };
    let is = |schema: &Map<String, Value>, kind: &str| match schema.get("type") {
        Some(Value::String(t)) => t == kind,
        Some(Value::Array(types)) => types.iter().any(|t| t == kind),
        _ => false,
    };
    if is(schema, "string") {
        if schema.contains_key("pattern") {
            let no_nul = serde_json::json!({ "type": schema["type"].clone(), "pattern": NO_NUL });
            let own = std::mem::take(value);
            *value = serde_json::json!({ "allOf": [own, no_nul] });
            return;
        }
        schema.insert("pattern".into(), NO_NUL.into());
    }
    if is(schema, "object") || schema.contains_key("properties") {
        schema
            .entry("propertyNames")
            .or_insert_with(|| serde_json::json!({ "type": "string", "pattern": NO_NUL }));
    }
    for key in ["properties", "patternProperties"] {
        if let Some(Value::Object(properties)) = schema.get_mut(key) {
            properties.values_mut().for_each(no_nul_in);
        }
    }
    for key in ["items", "additionalProperties", "not", "contains"] {
        if let Some(inner) = schema.get_mut(key) {
            no_nul_in(inner);
        }
    }
    for key in ["allOf", "anyOf", "oneOf", "prefixItems"] {
        if let Some(Value::Array(inner)) = schema.get_mut(key) {
            inner.iter_mut().for_each(no_nul_in);
        }
    }
}

/// Adds [`OWN_ANSWERS`] to every operation of a path item.
///
/// ```
/// use fastapp_core::openapi::{merge, Part};
/// let document = serde_json::from_value(serde_json::json!({
///     "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
///     "paths": {"/posts": {
///         "get": {"responses": {"200": {"description": "ok"}}},
///         "post": {"requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
///                  "responses": {"422": {"description": "Empty title"}}}
///     }}
/// })).unwrap();
/// let merged = merge("demo", "0.1.0", &[Part { app: "blog".into(), prefix: "".into(), document }]).unwrap();
/// let json = serde_json::to_value(&merged).unwrap();
/// let get = &json["paths"]["/posts"]["get"]["responses"];
/// assert_eq!(get["400"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ErrorBody");
/// assert!(get["503"].is_object() && get["415"].is_null(), "no body, no 415");
/// let post = &json["paths"]["/posts"]["post"]["responses"];
/// assert!(post["413"].is_object() && post["415"].is_object());
/// assert_eq!(post["422"]["description"], "Empty title", "the app's own words are kept");
/// assert!(json["components"]["schemas"]["ErrorBody"].is_object());
/// ```
fn add_own_answers(item: &mut Value) {
    let Value::Object(item) = item else { return };
    for method in METHODS {
        let Some(Value::Object(operation)) = item.get_mut(method) else {
            continue;
        };
        let takes_body = operation.contains_key("requestBody");
        let Value::Object(responses) = operation
            .entry("responses")
            .or_insert_with(|| Value::Object(Map::new()))
        else {
            continue;
        };
        for (status, body_only, description) in OWN_ANSWERS {
            if body_only && !takes_body {
                continue;
            }
            responses.entry(status).or_insert_with(|| {
                serde_json::json!({
                    "description": description,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
                })
            });
        }
    }
}

/// The routes serving `document` at `openapi_path` and, with feature
/// `swagger-ui`, Swagger UI at `docs_path`.
pub(crate) fn router<S: Clone + Send + Sync + 'static>(
    document: &OpenApi,
    openapi_path: &str,
    docs_path: &str,
) -> axum::Router<S> {
    let json = document.to_json().unwrap_or_else(|_| "{}".into());
    let router = axum::Router::new().route(
        openapi_path,
        axum::routing::get(move || {
            let json = json.clone();
            async move { ([(axum::http::header::CONTENT_TYPE, "application/json")], json).into_response() }
        }),
    );
    #[cfg(feature = "swagger-ui")]
    let router = router.merge(docs::router(&document.info.title, openapi_path, docs_path));
    #[cfg(not(feature = "swagger-ui"))]
    let _ = docs_path;
    router
}

/// The paths of the docs' routes at `docs_path`: with feature `swagger-ui`
/// the page and its files, and the apps page ([`apps_page_route`]).
pub(crate) fn docs_routes(docs_path: &str) -> Vec<String> {
    #[cfg(feature = "swagger-ui")]
    let routes = vec![docs_path.to_string(), docs::assets_route(docs_path)];
    #[cfg(not(feature = "swagger-ui"))]
    let routes = Vec::new();
    routes.into_iter().chain([apps_page_route(docs_path)]).collect()
}

/// Where the app graph is shown (`<docs_path>/apps`, see [`crate::graph`]).
pub(crate) fn apps_page_route(docs_path: &str) -> String {
    format!("{}/apps", docs_path.trim_end_matches('/'))
}

#[cfg(test)]
mod tests;
