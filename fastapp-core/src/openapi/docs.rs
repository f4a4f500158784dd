//! The docs page: Swagger UI itself, embedded in the binary by
//! [`swagger_ui_redist`] (its HTML, CSS, JavaScript and icons: nothing is
//! fetched from another host at build or run time). The page reads the
//! document at the `openapi_path` setting; its files are served under
//! `<docs_path>/assets/`. Feature `swagger-ui` (on by default): a project
//! that turns it off serves the document alone.

use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use swagger_ui_redist::{SwaggerUi, SwaggerUiStaticFile};

/// The route serving Swagger UI's files, under `docs_path`.
pub(crate) fn assets_route(docs_path: &str) -> String {
    format!("{}/assets/{{file}}", docs_path.trim_end_matches('/'))
}

/// The page at `docs_path`, titled `title`, reading the document at
/// `openapi_path`, with the online validator off (it would send the
/// document to swagger.io).
pub(crate) fn page(title: &str, openapi_path: &str, docs_path: &str) -> String {
    let mut ui = SwaggerUi::new();
    ui.title(format!("{} — API docs", escape_html(title)));
    let assets = docs_path.trim_end_matches('/');
    for file in SwaggerUiStaticFile::all() {
        ui.override_file_path(*file, format!("{assets}/assets/{}", file.file_name()));
    }
    ui.config()
        // In the page's inline script: `<` percent-encoded (the same URL), so
        // no path closes the script (`Settings` made by hand are unchecked).
        .urls([openapi_path.replace('<', "%3C")])
        .display_request_duration(true)
        .validator_url("none")
        .use_base_layout();
    ui.serve()
        .unwrap_or_else(|error| format!("cannot render the docs page: {error}"))
}

/// The router: the page at `docs_path`, the files at [`assets_route`].
pub(crate) fn router<S: Clone + Send + Sync + 'static>(
    title: &str,
    openapi_path: &str,
    docs_path: &str,
) -> axum::Router<S> {
    let page = page(title, openapi_path, docs_path);
    axum::Router::new()
        .route(
            docs_path,
            axum::routing::get(move || async move { Html(page.clone()) }),
        )
        .route(
            &assets_route(docs_path),
            axum::routing::get(
                |axum::extract::Path(file): axum::extract::Path<String>| async move { asset(&file) },
            ),
        )
}

/// One of Swagger UI's files by name, with its content type; 404 otherwise.
fn asset(name: &str) -> Response {
    let Some((file, bytes)) = SwaggerUi::static_files()
        .iter()
        .find(|(file, _)| file.file_name() == name)
    else {
        return (
            StatusCode::NOT_FOUND,
            axum::Json(serde_json::json!({ "error": "not found" })),
        )
            .into_response();
    };
    let content_type = match file.file_name().rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    };
    (
        [
            (header::CONTENT_TYPE, content_type),
            // The files change only with fastapp's Swagger UI version.
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        *bytes,
    )
        .into_response()
}

/// `text` safe between HTML tags.
fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_names_its_document_and_files_under_the_docs_path() {
        let page = page("demo", "/api/schema.json", "/api/docs/");
        assert!(page.contains("\"url\": \"/api/schema.json\""), "{page}");
        assert!(page.contains("\"validatorUrl\": \"none\""), "{page}");
        assert!(page.contains("<title>demo — API docs</title>"), "{page}");
        for file in SwaggerUiStaticFile::all() {
            assert!(
                page.contains(&format!("\"/api/docs/assets/{}\"", file.file_name())),
                "{page}"
            );
        }
        assert!(
            !page.contains("http://") && !page.contains("https://"),
            "nothing from another host: {page}"
        );
        assert_eq!(assets_route("/docs"), "/docs/assets/{file}");
        let page = super::page("demo", "/api/</script>", "/docs");
        assert!(page.contains("\"url\": \"/api/%3C/script>\""), "{page}");
    }

    #[test]
    fn files_have_their_type_and_unknown_ones_are_not_found() {
        let js = asset("swagger-ui-bundle.js");
        assert_eq!(js.status(), StatusCode::OK);
        assert_eq!(
            js.headers()[header::CONTENT_TYPE],
            "text/javascript; charset=utf-8"
        );
        assert_eq!(
            asset("swagger-ui.css").headers()[header::CONTENT_TYPE],
            "text/css; charset=utf-8"
        );
        assert_eq!(
            asset("favicon-32x32.png").headers()[header::CONTENT_TYPE],
            "image/png"
        );
        assert_eq!(asset("../Cargo.toml").status(), StatusCode::NOT_FOUND);
    }
}
