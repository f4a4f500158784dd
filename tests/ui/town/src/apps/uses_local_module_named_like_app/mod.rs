#![allow(dead_code, unused, clippy::all)]
//! A local module named like another app is not that app.
mod accounts {
    pub mod models {
        pub struct User;
    }
}
pub fn f() -> self::accounts::models::User {
    accounts::models::User
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
