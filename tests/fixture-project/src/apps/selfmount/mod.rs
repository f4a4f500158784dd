//! Returns `None` after mounting itself, stores an extension, and has hooks.
use axum::routing::get;
use fastapp_core::{AppContext, Ext, Router};

#[derive(Clone)]
struct Greeting(String);

async fn hello(Ext(greeting): Ext<Greeting>) -> String {
    greeting.0
}

#[fastapp_core::internal_app]
pub fn register(ctx: &mut AppContext) -> Option<Router> {
    ctx.insert(Greeting(format!("hello from {}", ctx.app_name())));
    ctx.nest("/custom", Router::new().route("/hello", get(hello)));
    ctx.on_startup(|_| async {
        println!("selfmount: started");
        Ok(())
    });
    ctx.on_shutdown(|_| async {
        println!("selfmount: stopped");
        Ok(())
    });
    None
}
