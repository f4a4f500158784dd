//! The project's shared layer: the diesel schema every internal app uses,
//! and helpers shared by the apps.

pub mod schema;
pub mod settings;

use serde::Deserialize;

/// `?limit=&offset=` for list endpoints.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Page {
    #[serde(default = "Page::default_limit")]
    pub limit: i64,
    #[serde(default)]
    pub offset: i64,
}

impl Page {
    pub const MAX_LIMIT: i64 = 100;

    fn default_limit() -> i64 {
        settings::site().page_size
    }

    /// The limit, clamped to `1..=MAX_LIMIT`, and a non-negative offset.
    pub fn clamped(self) -> (i64, i64) {
        (self.limit.clamp(1, Self::MAX_LIMIT), self.offset.max(0))
    }
}
