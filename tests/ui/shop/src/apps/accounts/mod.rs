use fastapp_core::{AppContext, Router};

mod models {
    #[fastapp_core::model(table = users)]
    pub struct User {
        pub id: String,
        pub username: String,
        pub email: String,
    }
}

/// What other apps may use of `accounts`.
pub mod api {
    pub use super::models::User;
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut AppContext) -> Option<Router> {
    None
}
