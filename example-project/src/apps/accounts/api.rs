//! What other apps may use of `accounts`: the user model (blog's posts have
//! authors). Everything else in the app is private to it.

pub use super::models::User;
