//! Registers fine, but its start-up hook fails.
use fastapp_core::{AppContext, Router};

#[fastapp_core::internal_app]
pub fn register(ctx: &mut AppContext) -> Option<Router> {
    ctx.on_startup(|_| async { Err("cache warm-up failed".into()) });
    None
}
