//! A qualified self type.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

pub fn f(s: &crate::apps::qualified_self::Local) -> crate::apps::qualified_self::Local {
    <newsletter::Subscriber as Clone>::clone;
    s.clone()
}

#[derive(Clone)]
pub struct Local;

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
