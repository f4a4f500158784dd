//! A finding: one broken rule (or a warning) with its stable id, what is
//! wrong, the app, where, and how to fix it. The runtime's `check`, its
//! errors and `cargo fastapp` all report in this shape.

use serde::Serialize;

/// One broken rule (or a warning): what, which app, where, and how to fix it.
///
/// ```
/// let finding = fastapp_config::Finding::new("app.E010", "app `apps.shop` is not linked", "add it")
///     .app("shop")
///     .location("fastapp.toml:1:9");
/// let text = finding.to_string();
/// assert!(text.starts_with("[app.E010] app `apps.shop` is not linked"));
/// assert!(text.contains("--> fastapp.toml:1:9"));
/// assert!(text.contains("= fix: add it"));
/// assert!(text.ends_with("= explain: cargo fastapp explain app.E010"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule's stable id, e.g. `route.E016` (listed in the README).
    pub id: &'static str,
    /// The app concerned, if any.
    pub app: Option<String>,
    /// What is wrong.
    pub message: String,
    /// Where: `file:line[:column]`, a route, a table, a migration.
    pub location: Option<String>,
    /// The rule as it applies here, when the message needs it said (the
    /// compile-time findings say it; the rule's page says it for all).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<Box<str>>,
    /// How to fix it.
    pub fix: String,
}

impl Finding {
    /// A finding for rule `id`.
    ///
    /// ```
    /// let finding = fastapp_config::Finding::new("config.E034", "`apps` is missing", "add `apps = []`");
    /// assert_eq!((finding.app, finding.location), (None, None));
    /// ```
    pub fn new(id: &'static str, message: impl Into<String>, fix: impl Into<String>) -> Finding {
        Finding {
            id,
            app: None,
            message: message.into(),
            location: None,
            rule: None,
            fix: fix.into(),
        }
    }

    /// Names the app concerned.
    ///
    /// ```
    /// let finding = fastapp_config::Finding::new("app.E010", "not linked", "link it").app("blog");
    /// assert_eq!(finding.app.as_deref(), Some("blog"));
    /// ```
    pub fn app(mut self, app: impl Into<String>) -> Finding {
        self.app = Some(app.into());
        self
    }

    /// Says where.
    ///
    /// ```
    /// let finding = fastapp_config::Finding::new("app.E010", "not linked", "link it").location("fastapp.toml:1:9");
    /// assert_eq!(finding.location.as_deref(), Some("fastapp.toml:1:9"));
    /// ```
    pub fn location(mut self, location: impl Into<String>) -> Finding {
        self.location = Some(location.into());
        self
    }

    /// Says the rule as it applies here (rendered as `= rule: …`).
    ///
    /// ```
    /// let finding = fastapp_config::Finding::new("app.E028", "`handlers` is public", "make it private")
    ///     .rule("only `api` is visible to other apps");
    /// assert!(finding.to_string().contains("\n  = rule: only `api` is visible to other apps\n"));
    /// ```
    pub fn rule(mut self, rule: impl Into<String>) -> Finding {
        self.rule = Some(rule.into().into_boxed_str());
        self
    }
}

/// The one rendering of a finding, at compile time and at run time:
/// `[id] what`, then `--> where`, `= rule:`, `= fix:`, and the command
/// that explains the rule.
impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}] {}", self.id, self.message)?;
        if let Some(location) = &self.location {
            write!(f, "\n  --> {location}")?;
        }
        if let Some(rule) = &self.rule {
            write!(f, "\n  = rule: {rule}")?;
        }
        write!(f, "\n  = fix: {}", self.fix)?;
        write!(f, "\n  = explain: {}", explain_command(self.id))
    }
}

/// The command that prints `id`'s page: the last line of every diagnostic.
///
/// ```
/// assert_eq!(fastapp_config::rules::explain_command("route.E016"), "cargo fastapp explain route.E016");
/// ```
pub fn explain_command(id: &str) -> String {
    format!("cargo fastapp explain {id}")
}
