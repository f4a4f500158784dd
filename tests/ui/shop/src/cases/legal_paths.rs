// `crate::apps` for the legal_paths case.
#[path = "../apps/accounts/mod.rs"]
pub mod accounts;
#[path = "../apps/legal_paths/mod.rs"]
pub mod legal_paths;
