//! What other apps may use of `{{name}}` (declared in their `uses` in
//! fastapp.toml): only this module is visible outside the app.

// A re-export no other app uses yet is not dead code.
#![allow(unused_imports)]

pub use super::models::Item;
