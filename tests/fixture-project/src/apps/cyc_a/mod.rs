//! Uses cyc_b, which uses cyc_a.
use fastapp_core::{AppContext, Router};

/// What other apps may use of this one.
pub mod api {
    pub const NAME: &str = "a";
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut AppContext) -> Option<Router> {
    let _ = crate::apps::cyc_b::api::NAME;
    None
}
