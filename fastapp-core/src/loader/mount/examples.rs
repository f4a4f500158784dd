//! The examples of this module's items (the module is private to the
//! crate, so they run here rather than as doc tests).

#[test]
fn mounted() {
    use crate::{config::Config, db, loader, Project, Settings};
    use axum::{
        body::Body,
        http::{Request, StatusCode},
    };
    use std::sync::Arc;
    use tower::ServiceExt;

    static PROJECT: Project = Project {
        config: "apps = []",

        ..crate::fixtures::PROJECT
    };

    #[tokio::main(flavor = "current_thread")]
    async fn main() {
        let config = Config::parse(PROJECT.config_file, PROJECT.config).unwrap();
        let apps = loader::resolve(&PROJECT, &config).unwrap().apps;
        let mut mounted = loader::mount(
            &PROJECT,
            &apps,
            Arc::new(Settings::default()),
            db::pool(":memory:"),
        )
        .unwrap();

        // No apps: the only routes are fastapp's health, readiness, OpenAPI
        // document, docs page (Swagger UI and its files) and apps page.
        let routes: Vec<String> = mounted
            .routes()
            .iter()
            .map(|(app, route)| format!("{app}: {route}"))
            .collect();
        assert_eq!(
            routes,
            [
                "fastapp: GET /healthz",
                "fastapp: GET /readyz",
                "fastapp: GET /openapi.json",
                "fastapp: GET /docs",
                "fastapp: GET /docs/assets/{file}",
                "fastapp: GET /docs/apps",
            ]
        );
        assert!(mounted.unread_routes().is_empty());

        mounted.start().await.unwrap(); // the apps' start-up hooks, in app order
        let request = Request::get("/openapi.json").body(Body::empty()).unwrap();
        let response = mounted.router().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        mounted.stop().await; // their shutdown hooks, in reverse order
    }
    main();
}

#[test]
fn mount() {
    use crate::{config::Config, db, loader, Project, Settings};
    use std::sync::Arc;

    static PROJECT: Project = Project {
        config: "apps = []",

        ..crate::fixtures::PROJECT
    };

    let config = Config::parse(PROJECT.config_file, PROJECT.config).unwrap();
    let apps = loader::resolve(&PROJECT, &config).unwrap().apps;
    // The document's path taken by the docs page as well: openapi.E073.
    let settings = Settings {
        docs_path: "/openapi.json".into(),
        ..Settings::default()
    };
    let err = loader::mount(&PROJECT, &apps, Arc::new(settings), db::pool(":memory:")).unwrap_err();
    assert_eq!(err.findings()[0].id, "openapi.E073");
}
