use serde::{Deserialize, Serialize};

/// A post as stored; `author_id` references `users.id` (accounts app).
#[fastapp_core::model(table = posts)]
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Post {
    pub id: String,
    pub author_id: String,
    pub title: String,
    pub body: String,
    pub published: bool,
}

/// What `POST /blog/posts` takes.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePost {
    pub author_id: String,
    /// Not blank: holds a character other than a space, tab or line break.
    #[schema(pattern = "[^ \t\n\r]")]
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub published: bool,
}

impl CreatePost {
    /// The row to insert, with a fresh id.
    pub fn into_post(self) -> Post {
        Post {
            id: uuid::Uuid::new_v4().to_string(),
            author_id: self.author_id,
            title: self.title,
            body: self.body,
            published: self.published,
        }
    }
}

/// A post with its author, as listed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PostWithAuthor {
    #[serde(flatten)]
    pub post: Post,
    pub author: String,
}
