//! A trait object and `impl Trait`.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

pub fn f(_: &dyn Fn() -> newsletter::Subscriber, _: impl Fn(newsletter::NewSubscriber)) {}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
