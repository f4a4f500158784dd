//! An app's tests may not use an external app either.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

#[cfg(test)]
mod tests;

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
