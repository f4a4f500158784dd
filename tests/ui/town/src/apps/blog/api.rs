//! What other apps may use of `blog`.
#![allow(unused_imports)]
pub use super::models::Post;
