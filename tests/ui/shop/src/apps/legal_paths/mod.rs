//! Every pattern here is legal for an internal app and must keep compiling.

mod nested;

use fastapp_core::{AppContext, Router};

// Other internal apps, by absolute and relative paths.
use crate::apps::accounts::api::User;
use super::accounts as accounts_app;

// Core: the project's shared layer and schema.
use crate::core::schema::users;

// A local module that shares the external app's name.
mod newsletter {
    pub fn subscribers() -> usize {
        3
    }
}

pub fn uses_everything() -> String {
    // The local module, not the external crate.
    let local = newsletter::subscribers();
    let also_local = self::newsletter::subscribers();
    // A variable that shares the external app's name.
    let newsletter = local + also_local;
    // Strings that mention the external app.
    let text = format!("see newsletter::Subscriber ({newsletter})");
    let _table = users::table;
    let _other: Option<accounts_app::api::User> = None;
    let _user: Option<User> = None;
    format!("{} {} {}", text, crate::core::site_name(), nested::deeper())
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut AppContext) -> Option<Router> {
    let _ = uses_everything();
    None
}
