// An app whose root is `apps/flat.rs`: its `mod handlers;` is apps/flat/handlers.rs.
mod handlers;

use fastapp_core::{AppContext, Router};

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut AppContext) -> Option<Router> {
    let _ = handlers::first;
    None
}
