//! Registers fine, but its hooks go wrong: by default the start-up hook
//! fails; `ZETA=panic` makes it panic, `ZETA=panic-on-shutdown` makes
//! start-up succeed and the shutdown hook panic.
use fastapp_core::{AppContext, Router};

#[fastapp_core::internal_app]
pub fn register(ctx: &mut AppContext) -> Option<Router> {
    let mode = std::env::var("ZETA").unwrap_or_default();
    let on_shutdown = mode.clone();
    ctx.on_startup(|_| async move {
        match mode.as_str() {
            "panic" => panic!("cache exploded"),
            "panic-on-shutdown" => Ok(()),
            _ => Err("cache warm-up failed".into()),
        }
    });
    ctx.on_shutdown(|_| async move {
        if on_shutdown == "panic-on-shutdown" {
            panic!("flush exploded");
        }
        Ok(())
    });
    None
}
