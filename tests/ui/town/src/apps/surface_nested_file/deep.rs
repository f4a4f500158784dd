//! From a nested file, two `super`s up.
pub fn f(_: &super::super::accounts::models::User) {}
