//! The project's own settings: `[settings]` of fastapp.toml, overridable by
//! environment variables of the same name in upper case (`PAGE_SIZE=50`).

use std::sync::OnceLock;

use serde::Deserialize;

/// Settings of this project, beyond fastapp's own.
#[derive(Debug, Clone, Deserialize)]
pub struct SiteSettings {
    /// Default page size of list endpoints.
    pub page_size: i64,
}

/// The project's settings, read once from fastapp's effective settings.
pub fn site() -> &'static SiteSettings {
    static SITE: OnceLock<SiteSettings> = OnceLock::new();
    SITE.get_or_init(|| {
        fastapp_core::settings::get_settings()
            .and_then(|settings| settings.get().ok())
            .unwrap_or(SiteSettings { page_size: 20 })
    })
}
