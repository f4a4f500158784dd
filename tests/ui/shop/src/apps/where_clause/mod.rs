//! A `where` clause.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

pub fn f<T>(_: T)
where
    T: Into<newsletter::Subscriber>,
{
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
