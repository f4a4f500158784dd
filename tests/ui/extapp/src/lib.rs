// An external app crate that reaches into fastapp's internals.
mod helpers;

use fastapp_core::{AppContext, Router};

#[fastapp_core::external_app]
pub fn register(_ctx: &mut AppContext) -> Option<Router> {
    let _ = helpers::count();
    None
}
