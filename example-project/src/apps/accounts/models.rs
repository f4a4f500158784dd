use serde::{Deserialize, Serialize};

/// A user as stored.
#[fastapp_core::model(table = users)]
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct User {
    pub id: String,
    pub username: String,
    pub email: String,
}

/// What `POST /accounts/users` takes.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    /// Not blank: holds a character other than a space, tab or line break.
    #[schema(pattern = "[^ \t\n\r]")]
    pub username: String,
    /// Holds an `@`.
    #[schema(pattern = "@")]
    pub email: String,
}

impl CreateUser {
    /// The row to insert, with a fresh id.
    pub fn into_user(self) -> User {
        User {
            id: uuid::Uuid::new_v4().to_string(),
            username: self.username,
            email: self.email,
        }
    }
}
