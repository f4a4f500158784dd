use fastapp_core::{AppContext, Router};

#[fastapp_core::internal_app(prefix = "bad_prefix/")]
pub fn register(_ctx: &mut AppContext) -> Option<Router> {
    None
}
