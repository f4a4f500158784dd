//! The town's core: the shared schema.
pub mod schema;
