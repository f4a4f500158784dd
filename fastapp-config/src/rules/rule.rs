//! What a rule is: [`Rule`], and the [`Stage`] that checks it.

/// When a rule is checked, and by which part of fastapp.
///
/// ```
/// use fastapp_config::rules::{self, Stage};
/// assert_eq!(rules::find("model.E004").unwrap().stage, Stage::Compile);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// At compile time, by the proc macros (`fastapp-macros`).
    Compile,
    /// At start-up and by the project's `check` (`fastapp-core`).
    Start,
    /// By the migration runner (`migrate`, `serve`, `check --database`).
    Migrate,
    /// By the developer's tool, `cargo fastapp`.
    Tool,
}

impl Stage {
    /// Every stage, in the order a project meets them.
    pub const ALL: [Stage; 4] = [Stage::Compile, Stage::Start, Stage::Migrate, Stage::Tool];

    /// Where and when the stage's rules are checked, in a few words.
    ///
    /// ```
    /// assert_eq!(fastapp_config::rules::Stage::Tool.checked_by(), "by `cargo fastapp` (scaffolding, extraction, the dev loop)");
    /// ```
    pub fn checked_by(self) -> &'static str {
        match self {
            Stage::Compile => {
                "at compile time, by fastapp's macros (`#[internal_app]`, `#[model]`, `project!()`, …)"
            }
            Stage::Start => "at start-up and by the project's `check` command",
            Stage::Migrate => "by the migration runner (`migrate`, `serve`, `check --database`)",
            Stage::Tool => "by `cargo fastapp` (scaffolding, extraction, the dev loop)",
        }
    }
}

/// One rule: what a finding with its id means.
///
/// ```
/// let rule = fastapp_config::rules::find("app.W001").unwrap();
/// assert!(rule.is_warning());
/// assert_eq!(rule.number(), 1);
/// ```
#[derive(Debug, PartialEq, Eq, serde::Serialize)]
pub struct Rule {
    /// The stable id, e.g. `route.E016`.
    pub id: &'static str,
    /// Ids the rule had before (still understood for one release).
    pub aliases: &'static [&'static str],
    /// When it is checked.
    pub stage: Stage,
    /// What is wrong, in one line.
    pub title: &'static str,
    /// Why the rule exists, and precisely what breaks it.
    pub why: &'static str,
    /// How to fix it.
    pub fix: &'static str,
    /// Code, configuration or a command that breaks it.
    pub example: &'static str,
}

impl Rule {
    /// Whether the rule is a warning (`.W`): only warnings can be silenced.
    ///
    /// ```
    /// assert!(!fastapp_config::rules::find("route.E016").unwrap().is_warning());
    /// ```
    pub fn is_warning(&self) -> bool {
        is_warning(self.id)
    }

    /// The number after `E` or `W`.
    ///
    /// ```
    /// assert_eq!(fastapp_config::rules::find("route.E016").unwrap().number(), 16);
    /// ```
    pub fn number(&self) -> u16 {
        number(self.id).unwrap_or(u16::MAX)
    }

    /// The rule's page, as `check --explain` prints it.
    ///
    /// ```
    /// let page = fastapp_config::rules::find("app.E012").unwrap().page();
    /// assert!(page.starts_with("app.E012: "));
    /// assert!(page.contains("\nWhy:\n") && page.contains("\nFix:\n") && page.contains("\nExample:\n"));
    /// ```
    pub fn page(&self) -> String {
        let mut page = format!("{}: {}\n", self.id, self.title);
        let kind = if self.is_warning() { "warning" } else { "error" };
        page.push_str(&format!("({kind}, checked {})\n", self.stage.checked_by()));
        if !self.aliases.is_empty() {
            page.push_str(&format!("(formerly {})\n", self.aliases.join(", ")));
        }
        page.push_str(&format!("\nWhy:\n{}\n", indent(self.why)));
        page.push_str(&format!("\nFix:\n{}\n", indent(self.fix)));
        page.push_str(&format!("\nExample:\n{}\n", indent(self.example)));
        page
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!("    {line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether `id` is a warning's id (`app.W001`): warnings can be silenced,
/// errors cannot.
///
/// ```
/// assert!(fastapp_config::rules::is_warning("app.W001"));
/// assert!(!fastapp_config::rules::is_warning("route.E016"));
/// ```
pub fn is_warning(id: &str) -> bool {
    id.split_once('.').is_some_and(|(_, code)| code.starts_with('W'))
}

pub(super) fn number(id: &str) -> Option<u16> {
    let (_, code) = id.split_once('.')?;
    code.get(1..)?.parse().ok()
}
