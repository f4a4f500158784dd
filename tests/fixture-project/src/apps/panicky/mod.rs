//! `GET /orders/{id}` panics (a handler's bug), `GET /in-db` panics in its
//! database work (on a blocking thread); `GET /fine` answers.
use axum::extract::State;
use axum::routing::get;
use fastapp_core::{ApiError, AppContext, AppState, Router};

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut AppContext) -> Option<Router> {
    Some(
        Router::new()
            .route(
                "/orders/{id}",
                get(|| async {
                    let orders: Vec<&str> = Vec::new();
                    orders[0].to_string()
                }),
            )
            .route(
                "/in-db",
                get(|State(state): State<AppState>| async move {
                    state
                        .db(|_conn| -> diesel::QueryResult<String> { panic!("the query builder gave up") })
                        .await?;
                    Ok::<_, ApiError>("unreachable")
                }),
            )
            .route("/fine", get(|| async { "fine" })),
    )
}
