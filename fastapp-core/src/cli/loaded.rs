//! What every command that needs the project starts from.

use crate::config::Config;
use crate::loader::Resolved;
use crate::{Project, Settings};

/// What every command starts from.
pub(crate) struct Loaded {
    pub project: &'static Project,
    pub config: Config,
    pub settings: Settings,
    pub resolved: Resolved,
}
