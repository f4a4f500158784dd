//! The project's shared layer: the diesel schema every internal app uses
//! (`schema.rs`, written by the diesel CLI) and the project's settings.

pub mod schema;
pub mod settings;
