//! The project's shared layer: the diesel schema every internal app uses,
//! and helpers shared by the apps.

pub mod schema;
pub mod settings;

use serde::Deserialize;

/// `?limit=&offset=` for list endpoints.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Page {
    /// How many (1 to 100; default: the `page_size` setting).
    pub limit: Option<i64>,
    /// How many to skip.
    #[serde(default)]
    pub offset: i64,
}

/// Whether `text` has no character but spaces, tabs and line breaks: the
/// rule behind the schema pattern `[^ \t\n\r]` of names and titles (the
/// same characters, so that the OpenAPI document and the handler agree on
/// every input).
///
/// ```
/// assert!(example_project::core::is_blank(" \t\r\n"));
/// assert!(!example_project::core::is_blank(" a "));
/// ```
pub fn is_blank(text: &str) -> bool {
    text.chars().all(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
}

impl Page {
    pub const MAX_LIMIT: i64 = 100;

    /// The limit (the site's page size by default), clamped to
    /// `1..=MAX_LIMIT`, and a non-negative offset.
    pub fn clamped(self, site: &settings::SiteSettings) -> (i64, i64) {
        let limit = self.limit.unwrap_or(site.page_size);
        (limit.clamp(1, Self::MAX_LIMIT), self.offset.max(0))
    }
}
