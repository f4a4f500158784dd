//! Internal apps: each registers itself with `#[fastapp_core::internal_app]`.

pub mod accounts;
pub mod blog;
