use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::routing::get;
use tower::ServiceExt;

#[tokio::test]
async fn a_panicking_handler_answers_a_json_500_and_the_next_request_is_served() {
    let router: crate::Router = crate::Router::new()
        .route(
            "/boom/{id}",
            get(|| async { panic!("the boom handler gave up") as &str }),
        )
        .route("/fine", get(|| async { "fine" }));
    let settings = crate::Settings::default();
    let state = crate::AppState::new(
        Arc::new(settings.clone()),
        crate::db::pool(":memory:"),
        axum::http::Extensions::new(),
    );
    let route = |path: &str| {
        let route = crate::routes::Route {
            method: "GET".into(),
            path: path.into(),
        };
        ("demo".to_string(), route)
    };
    let index = crate::routes::Index::new(&[route("/boom/{id}"), route("/fine")]);
    let answered = super::Answered::new(Arc::new(index), None);
    let guard = super::around(router.with_state(state), &settings, answered);
    let router = axum::Router::new().fallback_service(guard);
    let request = Request::get("/boom/7").body(Body::empty()).unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body = axum::body::to_bytes(response.into_body(), 1024).await.unwrap();
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["error"], "internal server error");

    let request = Request::get("/fine").body(Body::empty()).unwrap();
    let response = router.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[test]
fn json_media_types_are_compared_without_regard_to_case() {
    for json in [
        "application/json",
        "Application/JSON",
        "application/json; charset=utf-8",
        "APPLICATION/vnd.api+JSON",
        "application/problem+json;charset=UTF-8",
    ] {
        assert!(super::is_json(json), "{json}");
    }
    for other in [
        "text/plain",
        "application/jsonx",
        "text/x+json",
        "+json",
        "application/+json",
        "",
    ] {
        assert!(!super::is_json(other), "{other}");
    }
}

/// A body that cannot be read is a 400; one over `body_limit` a 413.
#[tokio::test]
async fn an_unreadable_body_is_a_400_and_a_large_one_a_413() {
    let router: crate::Router =
        crate::Router::new().route("/echo", axum::routing::post(|body: String| async move { body }));
    let settings = crate::Settings {
        body_limit: 16,
        ..crate::Settings::default()
    };
    let state = crate::AppState::new(
        Arc::new(settings.clone()),
        crate::db::pool(":memory:"),
        axum::http::Extensions::new(),
    );
    let answered = super::Answered::new(Arc::new(crate::routes::Index::new(&[])), None);
    let guard = super::around(router.with_state(state), &settings, answered);
    let router = axum::Router::new().fallback_service(guard);
    let post = |body: Body| {
        Request::post("/echo")
            .header("content-type", "Application/JSON")
            .body(body)
            .unwrap()
    };
    let broken = futures_util::stream::iter([
        Ok(axum::body::Bytes::from_static(b"{\"a\":")),
        Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "invalid chunk size line",
        )),
    ]);
    let status = |response: axum::response::Response| response.status();
    let response = router
        .clone()
        .oneshot(post(Body::from_stream(broken)))
        .await
        .unwrap();
    assert_eq!(status(response), StatusCode::BAD_REQUEST);
    let response = router
        .clone()
        .oneshot(post(Body::from("[\"0123456789abcdef\"]")))
        .await
        .unwrap();
    assert_eq!(status(response), StatusCode::PAYLOAD_TOO_LARGE);
    // A NUL behind a content type in capitals is found all the same.
    let response = router.oneshot(post(Body::from("\"a\\u0000\""))).await.unwrap();
    let body = axum::body::to_bytes(response.into_body(), 1024).await.unwrap();
    assert!(
        String::from_utf8_lossy(&body).contains("NUL character"),
        "{body:?}"
    );
}

#[test]
fn finds_a_nul_in_a_target_raw_or_percent_encoded() {
    assert!(super::nul_in_target("/a%00b"));
    assert!(super::nul_in_target("/a?x=%00"));
    assert!(super::nul_in_target("/a\0b"));
    assert!(!super::nul_in_target("/a%2500"));
    assert!(!super::nul_in_target("/a%20b%0"));
    assert!(!super::nul_in_target("/a%"));
    assert!(!super::nul_in_target("/bench/hello"));
}

#[test]
fn finds_nul_escapes_but_not_escaped_backslashes() {
    assert!(super::has_nul(br#"{"a": "x\u0000y"}"#));
    assert!(super::has_nul(br#"{"a": "\\\u0000"}"#));
    assert!(super::has_nul(b"{\"a\": \"\0\"}"));
    assert!(!super::has_nul(br#"{"a": "\\u0000"}"#));
    assert!(!super::has_nul(br#"{"a": "\u0001 u0000"}"#));
}
