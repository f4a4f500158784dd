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
pub struct CreateUser {
    pub username: String,
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
