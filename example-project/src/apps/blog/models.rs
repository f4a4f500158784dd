use serde::{Deserialize, Serialize};

/// A post as stored; `author_id` references `users.id` (accounts app).
#[fastapp_core::model(table = posts)]
#[derive(Debug, Clone, Serialize)]
pub struct Post {
    pub id: i32,
    pub author_id: i32,
    pub title: String,
    pub body: String,
    pub published: bool,
}

/// What `POST /blog/posts` takes.
#[fastapp_core::model(table = posts)]
#[derive(Debug, Deserialize)]
pub struct NewPost {
    pub author_id: i32,
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub published: bool,
}

/// A post with its author, as listed.
#[derive(Debug, Serialize)]
pub struct PostWithAuthor {
    #[serde(flatten)]
    pub post: Post,
    pub author: String,
}
