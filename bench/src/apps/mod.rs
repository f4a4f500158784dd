//! The one internal app.
pub mod bench;
