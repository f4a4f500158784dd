use serde::{Deserialize, Serialize};

/// A user as stored.
#[fastapp_core::model(table = users)]
#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: i32,
    pub username: String,
    pub email: String,
}

/// What `POST /accounts/users` takes.
#[fastapp_core::model(table = users)]
#[derive(Debug, Deserialize)]
pub struct NewUser {
    pub username: String,
    pub email: String,
}
