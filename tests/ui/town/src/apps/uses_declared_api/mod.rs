#![allow(dead_code, unused, clippy::all)]
//! Declared, through the api.
use crate::apps::accounts::api::User;
pub fn f(user: &User) -> bool {
    crate::apps::accounts::api::is_admin(&user.username)
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
