#![allow(dead_code, unused, clippy::all)]
//! A local `core::schema` is not core's schema.
mod core {
    pub mod schema {
        pub mod users {
            pub struct table;
        }
    }
}
pub fn f() -> self::core::schema::users::table {
    self::core::schema::users::table
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
