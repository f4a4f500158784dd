//! One listed app, resolved: what every start-up step after resolution
//! works on.

use crate::registry::AppEntry;

/// A listed app, resolved to its registry entry and mount prefix.
#[derive(Debug, Clone)]
pub struct ResolvedApp {
    /// The registry entry.
    pub entry: &'static AppEntry,
    /// The prefix it is mounted under (`""` = root).
    pub prefix: String,
    /// Where it is listed in `fastapp.toml`.
    pub listed_at: String,
    /// The apps it declares in `[app.<name>] uses` (`None`: no `uses`).
    pub uses: Option<Vec<String>>,
}
