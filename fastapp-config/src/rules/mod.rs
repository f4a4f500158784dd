//! Every rule fastapp reports, in one table: its stable id, a one-line
//! title, why it exists, how to fix it, and an example that breaks it.
//!
//! A [`Finding`](crate::Finding) names its rule by id; `check --explain <id>`
//! and `cargo fastapp explain <id>` print the rule's [page](Rule::page), and
//! `RULES.md` (with the README's index of rules) is [generated](markdown)
//! from this table: a test fails when they differ.
//!
//! Ids are `family.E<number>` (errors) and `family.W<number>` (warnings).
//! A number is used once across families; an id that was renamed stays
//! known as an alias of its rule for one release.
//!
//! ```
//! use fastapp_config::rules;
//! let rule = rules::find("route.E016").unwrap();
//! assert_eq!(rule.id, "route.E016");
//! assert!(rule.page().contains(rule.fix));
//! // An old id finds the rule it was renamed to.
//! assert_eq!(rules::find("route.E099").unwrap().id, "route.E038");
//! ```

mod compile;
mod migrate;
mod rule;
mod start;
mod tool;

pub use crate::finding::explain_command;
pub use rule::{is_warning, Rule, Stage};

/// The rules of `stage`, in the order of their numbers.
fn of(stage: Stage) -> &'static [Rule] {
    match stage {
        Stage::Compile => compile::RULES,
        Stage::Start => start::RULES,
        Stage::Migrate => migrate::RULES,
        Stage::Tool => tool::RULES,
    }
}

/// Every rule, stage by stage, each stage's in the order of their numbers.
///
/// ```
/// assert!(fastapp_config::rules::all().any(|rule| rule.id == "db.E030"));
/// ```
pub fn all() -> impl Iterator<Item = &'static Rule> {
    Stage::ALL.into_iter().flat_map(of)
}

/// The rule with this id, or the rule it was renamed to.
///
/// ```
/// use fastapp_config::rules::find;
/// assert_eq!(find("config.E001").unwrap().id, "config.E034");
/// assert!(find("route.E999").is_none());
/// ```
pub fn find(id: &str) -> Option<&'static Rule> {
    all().find(|rule| rule.id == id || rule.aliases.contains(&id))
}

/// The known id closest to `id`, for "did you mean".
///
/// ```
/// assert_eq!(fastapp_config::rules::closest("app.W01"), Some("app.W001"));
/// assert_eq!(fastapp_config::rules::closest("route.e016"), Some("route.E016"));
/// ```
pub fn closest(id: &str) -> Option<&'static str> {
    all()
        .map(|rule| {
            (
                strsim::levenshtein(&id.to_ascii_lowercase(), &rule.id.to_ascii_lowercase()),
                rule.id,
            )
        })
        .filter(|(distance, _)| *distance <= 3)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, known)| known)
}

/// `id`'s page, or — for an id that is no rule — a finding (`cli.E080`)
/// with a "did you mean".
///
/// ```
/// use fastapp_config::rules::explain;
/// assert!(explain("db.E030").unwrap().starts_with("db.E030: "));
/// let unknown = explain("db.E03").unwrap_err();
/// assert!(unknown.fix.contains("did you mean `db.E030`?"), "{}", unknown.fix);
/// ```
pub fn explain(id: &str) -> Result<String, crate::Finding> {
    if let Some(rule) = find(id) {
        return Ok(rule.page());
    }
    let fix = match closest(id) {
        Some(known) => format!("did you mean `{known}`? (`cargo fastapp explain` lists every rule)"),
        None => "name a rule's id, e.g. `route.E016` (`cargo fastapp explain` lists every rule)".into(),
    };
    Err(
        crate::Finding::new("cli.E080", format!("`{id}` is not a rule of fastapp"), fix)
            .location(format!("explain {id}")),
    )
}

/// One line per rule: id and title, for `cargo fastapp explain` with no id.
///
/// ```
/// assert!(fastapp_config::rules::list().lines().any(|line| line.starts_with("route.E016 ")));
/// ```
pub fn list() -> String {
    let width = all().map(|rule| rule.id.len()).max().unwrap_or(0);
    all()
        .map(|rule| format!("{:width$}  {}\n", rule.id, rule.title))
        .collect()
}

/// The README's index of rules: a table of ids and titles for each stage.
///
/// ```
/// assert!(fastapp_config::rules::markdown_index().contains("| [`route.E016`](RULES.md#routee016) |"));
/// ```
pub fn markdown_index() -> String {
    let mut out = String::new();
    for stage in Stage::ALL {
        out.push_str(&format!(
            "Checked {}:\n\n| id | rule |\n|---|---|\n",
            stage.checked_by()
        ));
        for rule in of(stage) {
            out.push_str(&format!(
                "| [`{}`](RULES.md#{}) | {} |\n",
                rule.id,
                anchor(rule.id),
                cell(rule.title)
            ));
        }
        out.push('\n');
    }
    out
}

/// `RULES.md`: every rule's page, stage by stage.
///
/// ```
/// let md = fastapp_config::rules::markdown();
/// assert!(md.contains("\n### route.E016\n"));
/// ```
pub fn markdown() -> String {
    let mut out = String::from(
        "# fastapp's rules\n\n\
         <!-- Generated from fastapp-config/src/rules/ by `FASTAPP_BLESS=1 cargo test -p fastapp-tests --test rules`; do not edit. -->\n\n\
         Every finding fastapp reports names one of these rules. \
         `cargo fastapp explain <id>` (or the project's `check --explain <id>`) prints a rule's page.\n",
    );
    for stage in Stage::ALL {
        out.push_str(&format!("\n## Checked {}\n", stage.checked_by()));
        for rule in of(stage) {
            out.push_str(&format!("\n### {}\n\n**{}**", rule.id, rule.title));
            if rule.is_warning() {
                out.push_str(" (warning: `[check] silence` can silence it)");
            }
            if !rule.aliases.is_empty() {
                out.push_str(&format!(" (formerly `{}`)", rule.aliases.join("`, `")));
            }
            out.push_str(&format!(
                "\n\n{}\n\n*Fix:* {}\n\n```text\n{}\n```\n",
                rule.why, rule.fix, rule.example
            ));
        }
    }
    out
}

/// GitHub's anchor for a `### route.E016` heading: `routee016`.
fn anchor(id: &str) -> String {
    id.to_ascii_lowercase().replace('.', "")
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_numbered_once_and_in_order_within_each_stage() {
        let mut ids = std::collections::HashSet::new();
        let mut numbers = std::collections::HashSet::new();
        for rule in all() {
            assert!(ids.insert(rule.id), "{} twice", rule.id);
            for alias in rule.aliases {
                assert!(ids.insert(alias), "{alias} twice");
            }
            let kind = if rule.is_warning() { 'W' } else { 'E' };
            assert!(rule::number(rule.id).is_some(), "{}: no number", rule.id);
            assert!(
                numbers.insert((kind, rule.number())),
                "{}: its number is taken",
                rule.id
            );
        }
        for stage in Stage::ALL {
            let order: Vec<_> = of(stage).iter().map(|r| (r.is_warning(), r.number())).collect();
            let mut sorted = order.clone();
            sorted.sort();
            assert_eq!(order, sorted, "{stage:?}: rules out of order");
        }
    }

    #[test]
    fn every_rule_has_each_part() {
        for rule in all() {
            assert!(of(rule.stage).contains(rule), "{}", rule.id);
            for (part, text) in [
                ("title", rule.title),
                ("why", rule.why),
                ("fix", rule.fix),
                ("example", rule.example),
            ] {
                assert!(!text.trim().is_empty(), "{}: no {part}", rule.id);
            }
            assert!(!rule.title.contains('\n'), "{}: the title is one line", rule.id);
        }
    }
}
