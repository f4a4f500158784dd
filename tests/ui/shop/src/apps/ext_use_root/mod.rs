use fastapp_core::{AppContext, Router};
use newsletter::Subscriber;

pub fn first(subscribers: &[Subscriber]) -> Option<&Subscriber> {
    subscribers.first()
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut AppContext) -> Option<Router> {
    None
}
