//! Uses cyc_b, which uses cyc_a.
use fastapp_core::{AppContext, Router};

pub const NAME: &str = "a";

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut AppContext) -> Option<Router> {
    let _ = crate::apps::cyc_b::NAME;
    None
}
