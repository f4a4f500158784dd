use fastapp_core::{AppContext, Router};

diesel::table! {
    carts (id) {
        id -> Integer,
        owner -> Text,
    }
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut AppContext) -> Option<Router> {
    let _ = carts::table;
    None
}
