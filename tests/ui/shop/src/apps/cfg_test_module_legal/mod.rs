//! A cfg(test) module that uses only legal paths.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

#[cfg(test)]
mod tests;

pub fn f() -> u8 {
    1
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
