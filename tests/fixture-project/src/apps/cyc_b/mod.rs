//! Uses cyc_a, which uses cyc_b.
use fastapp_core::{AppContext, Router};

/// What other apps may use of this one.
pub mod api {
    pub const NAME: &str = "b";
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut AppContext) -> Option<Router> {
    let _ = super::cyc_a::api::NAME;
    None
}
