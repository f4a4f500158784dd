//! Uses cyc_a, which uses cyc_b.
use fastapp_core::{AppContext, Router};

pub const NAME: &str = "b";

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut AppContext) -> Option<Router> {
    let _ = super::cyc_a::NAME;
    None
}
