//! The project's own settings: `[settings]` of fastapp.toml, overridable by
//! environment variables of the same name in upper case, prefixed `APP_`
//! (`APP_PAGE_SIZE=50`).

use fastapp_core::{AppContext, Error};
use serde::Deserialize;

/// Settings of this project, beyond fastapp's own.
#[derive(Debug, Clone, Deserialize)]
pub struct SiteSettings {
    /// Default page size of list endpoints.
    pub page_size: i64,
}

/// Reads the typed settings (a missing or mistyped key fails the app's
/// registration with `settings.E021`) and stores them for handlers, which
/// take `Ext<SiteSettings>`.
pub fn provide(ctx: &mut AppContext) -> Result<(), Error> {
    let site: SiteSettings = ctx.settings().get()?;
    ctx.insert(site);
    Ok(())
}
