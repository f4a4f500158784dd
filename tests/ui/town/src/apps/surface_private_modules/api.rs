pub use super::models::Note;
