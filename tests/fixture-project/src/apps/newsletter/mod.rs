//! An internal app that has the name of the external `newsletter` app.
use fastapp_core::{AppContext, Router};

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut AppContext) -> Option<Router> {
    None
}
