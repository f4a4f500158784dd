//! `fastapp.toml`: the ordered app list, per-app prefixes, migration order
//! and settings defaults — parsed by `fastapp-config` (the one parser the
//! macros, the runtime and `cargo fastapp` share), re-exported here.
//!
//! The file is baked into the binary by `project!()`, so a built binary runs
//! without its source tree; errors still point at the file, line and column.
//!
//! ```
//! use fastapp_core::config::{AppRef, Config};
//! let config = Config::parse("fastapp.toml", "apps = [\"apps.blog\", \"newsletter\"]").unwrap();
//! assert_eq!(config.apps[1].app, AppRef::External("newsletter".into()));
//! let err = Config::parse("fastapp.toml", "appz = []").unwrap_err();
//! assert_eq!(err.id, "config.E034");
//! ```

pub use fastapp_config::config::{Config, ListedApp};
pub use fastapp_config::rules;
pub use fastapp_config::AppRef;
