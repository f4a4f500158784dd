//! The shared schema.
pub mod schema;
