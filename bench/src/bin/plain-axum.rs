//! The same two endpoints hand-wired in plain axum + diesel, the baseline
//! `bench/run` compares fastapp with: `plain-axum <port> <sqlite file>`;
//! and the example project's `GET /blog/posts/{id}`, answered as the
//! example answers it, from a database the example migrated.
//! The database is used the way fastapp does (an r2d2 pool of 4 SQLite
//! connections in WAL mode, work on the blocking pool), so the difference
//! measured is fastapp's layer, not the database access.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};
use serde::Serialize;

diesel::table! {
    items (id) {
        id -> Integer,
        name -> Text,
    }
}

#[derive(Queryable, Selectable, Serialize)]
#[diesel(table_name = items)]
struct Item {
    id: i32,
    name: String,
}

diesel::table! {
    posts (id) {
        id -> Text,
        author_id -> Text,
        title -> Text,
        body -> Text,
        published -> Bool,
    }
}

/// The example's `blog` post, as its route answers it.
#[derive(Queryable, Selectable, Serialize)]
#[diesel(table_name = posts)]
struct Post {
    id: String,
    author_id: String,
    title: String,
    body: String,
    published: bool,
}

#[derive(Serialize)]
struct Message {
    message: &'static str,
}

type DbPool = Pool<ConnectionManager<SqliteConnection>>;

#[derive(Debug)]
struct Pragmas;

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for Pragmas {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        conn.batch_execute(
            "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;",
        )
        .map_err(diesel::r2d2::Error::QueryError)
    }
}

async fn hello() -> Json<Message> {
    Json(Message { message: "hello" })
}

async fn item(State(pool): State<DbPool>, Path(id): Path<i32>) -> Result<Json<Item>, StatusCode> {
    let found = tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
        items::table
            .find(id)
            .select(Item::as_select())
            .first(&mut conn)
            .optional()
            .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)
    })
    .await
    .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)??;
    found.map(Json).ok_or(StatusCode::NOT_FOUND)
}

async fn post(State(pool): State<DbPool>, Path(id): Path<String>) -> Result<Json<Post>, StatusCode> {
    let found = tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
        posts::table
            .find(id)
            .select(Post::as_select())
            .first(&mut conn)
            .optional()
            .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)
    })
    .await
    .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)??;
    found.map(Json).ok_or(StatusCode::NOT_FOUND)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let port = args.next().expect("usage: plain-axum <port> <sqlite file>");
    let file = args.next().expect("usage: plain-axum <port> <sqlite file>");
    let pool = Pool::builder()
        .max_size(4)
        .connection_customizer(Box::new(Pragmas))
        .build(ConnectionManager::<SqliteConnection>::new(file))
        .expect("open the database");
    let bench = Router::new()
        .route("/hello", get(hello))
        .route("/items/{id}", get(item));
    let app = Router::new()
        .nest("/bench", bench)
        .route("/blog/posts/{id}", get(post))
        .with_state(pool);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}"))
            .await
            .expect("bind");
        println!(
            "plain-axum: listening on http://{}",
            listener.local_addr().expect("address")
        );
        axum::serve(listener, app).await.expect("serve");
    });
}
