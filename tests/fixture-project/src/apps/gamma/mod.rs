//! Fails to register.
use fastapp_core::{AppContext, Router};

#[fastapp_core::internal_app]
pub fn register(ctx: &mut AppContext) -> Result<Option<Router>, String> {
    match ctx.settings().project.get("gamma_api_key") {
        Some(_) => Ok(None),
        None => Err("setting `gamma_api_key` is missing".into()),
    }
}
