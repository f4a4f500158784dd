//! What other apps may use of `accounts`.
#![allow(unused_imports)]
pub use super::models::{is_admin, User};
