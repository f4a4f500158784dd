//! The project's own settings: `[settings]` of fastapp.toml, each
//! overridable by the environment variable of the same name in upper case,
//! prefixed `APP_` (`APP_PAGE_SIZE=50`). fastapp's own (`database_url`, `debug`, `host`, `port`)
//! are in `fastapp_core::Settings`.
// Apps read these; a project without apps does not use them yet.
#![allow(dead_code)]

use fastapp_core::{AppContext, Error};
use serde::Deserialize;

/// Settings of this project beyond fastapp's own.
#[derive(Debug, Clone, Deserialize)]
pub struct ProjectSettings {
    /// How many rows a list endpoint returns.
    pub page_size: i64,
}

/// Reads the settings typed (a missing or mistyped key fails the app's
/// registration with `settings.E021`) and stores them for handlers, which
/// take `fastapp_core::Ext<ProjectSettings>`.
pub fn provide(ctx: &mut AppContext) -> Result<(), Error> {
    let settings: ProjectSettings = ctx.settings().get()?;
    ctx.insert(settings);
    Ok(())
}
