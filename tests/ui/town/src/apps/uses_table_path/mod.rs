#![allow(dead_code, unused, clippy::all)]
//! `users` is owned by `accounts`' model: using the table uses the app.
pub fn f() {
    let _ = crate::core::schema::users::table;
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
