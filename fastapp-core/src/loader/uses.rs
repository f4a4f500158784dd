//! Declared dependencies between internal apps: `[app.<name>] uses` in
//! `fastapp.toml` against what each app's code uses (the registry's
//! `depends_on`, found at compile time).
//!
//! `#[internal_app]` already refuses an undeclared use at compile time
//! (`isolation.E031`); start-up and `check` report the same rule for a
//! binary whose config says otherwise, and what only they can see: a `uses`
//! entry that names no listed internal app (`app.E032`), a declared
//! dependency the code does not use (`graph.W004`) and an app that declares
//! none (`app.W005`: unrestricted).

use std::collections::BTreeSet;

use crate::config::Config;
use crate::registry::AppKind;
use crate::Finding;
use fastapp_config::config::Uses;

use super::app::ResolvedApp;

/// Errors and warnings about `uses`, for the resolved `apps`.
pub(super) fn declared_dependencies(config: &Config, apps: &[ResolvedApp]) -> (Vec<Finding>, Vec<Finding>) {
    let internal: BTreeSet<&str> = apps
        .iter()
        .filter(|a| a.entry.kind == AppKind::Internal)
        .map(|a| a.entry.name)
        .collect();
    let mut found = Found::default();
    for app in apps {
        let name = app.entry.name;
        match (app.entry.kind, config.uses_of(name)) {
            (AppKind::External, Some(uses)) => found.errors.push(
                Finding::new(
                    "app.E032",
                    format!("[app.{name}] declares `uses`, but `{name}` is an external app"),
                    "remove `uses` from it: an external app uses fastapp's public API only, never another app",
                )
                .app(name)
                .location(&uses.location),
            ),
            (AppKind::External, None) => {}
            (AppKind::Internal, None) => found.warnings.push(undeclared(config, app)),
            (AppKind::Internal, Some(uses)) => found.declared(config, app, uses, &internal),
        }
    }
    (found.errors, found.warnings)
}

#[derive(Default)]
struct Found {
    errors: Vec<Finding>,
    warnings: Vec<Finding>,
}

impl Found {
    /// An internal app's `uses` against what its code uses.
    fn declared(&mut self, config: &Config, app: &ResolvedApp, uses: &Uses, internal: &BTreeSet<&str>) {
        let name = app.entry.name;
        let used: &[&str] = app.entry.depends_on;
        for (dep, at) in uses.apps.iter().zip(&uses.entry_locations) {
            if !internal.contains(dep.as_str()) || dep == name {
                let why = if dep == name {
                    "itself"
                } else {
                    "no listed internal app"
                };
                let others: Vec<&str> = internal.iter().copied().filter(|a| *a != name).collect();
                self.errors.push(
                    Finding::new(
                        "app.E032",
                        format!("[app.{name}] uses `{dep}`, which is {why}"),
                        format!(
                            "name internal apps listed in `apps` (without `apps.`): {}",
                            quoted(&others)
                        ),
                    )
                    .app(name)
                    .location(at),
                );
            } else if !used.contains(&dep.as_str()) {
                self.warnings.push(
                    Finding::new(
                        "graph.W004",
                        format!("internal app `{name}` declares it uses `{dep}`, but its code does not"),
                        format!(
                            "remove \"{dep}\" from `uses` under `[app.{name}]` in {}",
                            config.file
                        ),
                    )
                    .app(name)
                    .location(at),
                );
            }
        }
        for dep in used.iter().filter(|dep| !uses.apps.iter().any(|d| d == *dep)) {
            let mut fixed = uses.apps.clone();
            fixed.push(dep.to_string());
            self.errors.push(
                Finding::new(
                    "isolation.E031",
                    format!("internal app `{name}` uses internal app `{dep}`, which it does not declare"),
                    format!(
                        "write `uses = [{}]` under `[app.{name}]` in {}, or stop using `{dep}`",
                        quoted(&fixed.iter().map(String::as_str).collect::<Vec<_>>()),
                        config.file
                    ),
                )
                .app(name)
                .location(&uses.location),
            );
        }
    }
}

/// `app.W005`: an internal app that declares no `uses`, with the line to write.
fn undeclared(config: &Config, app: &ResolvedApp) -> Finding {
    let name = app.entry.name;
    let used = app.entry.depends_on;
    let line = format!("uses = [{}]", quoted(used));
    let what = if used.is_empty() {
        "uses no other app".to_string()
    } else {
        format!("uses {}", used.join(", "))
    };
    Finding::new(
        "app.W005",
        format!("internal app `{name}` declares no `uses`, so it may use any internal app (today it {what})"),
        format!(
            "declare its dependencies: `{line}` under `[app.{name}]` in {}",
            config.file
        ),
    )
    .app(name)
    .location(app.entry.location.to_string())
}

/// `"a", "b"`.
fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::AppEntry;

    fn app(name: &'static str, depends_on: &'static [&'static str]) -> &'static AppEntry {
        Box::leak(Box::new(crate::fixtures::internal(name, depends_on)))
    }

    fn findings(config: &str, apps: &[&'static AppEntry]) -> (Vec<Finding>, Vec<Finding>) {
        let config = Config::parse("fastapp.toml", config).unwrap();
        let apps: Vec<ResolvedApp> = apps
            .iter()
            .map(|entry| ResolvedApp {
                entry,
                prefix: format!("/{}", entry.name),
                listed_at: String::new(),
                uses: None,
            })
            .collect();
        declared_dependencies(&config, &apps)
    }

    #[test]
    fn absent_uses_is_a_warning_with_the_line_to_add() {
        let (errors, warnings) = findings("apps = []", &[app("accounts", &[]), app("blog", &["accounts"])]);
        assert!(errors.is_empty());
        assert_eq!(warnings.len(), 2);
        assert_eq!(warnings[1].id, "app.W005");
        assert!(
            warnings[1]
                .fix
                .contains("`uses = [\"accounts\"]` under `[app.blog]`"),
            "{}",
            warnings[1]
        );
        assert!(warnings[0].fix.contains("`uses = []`"), "{}", warnings[0]);
    }

    #[test]
    fn declared_unused_undeclared_and_unknown() {
        let config = "apps = []\n[app.a]\nuses = []\n[app.b]\nuses = [\"a\", \"c\", \"nope\"]\n[app.c]\nuses = [\"a\"]\n";
        let (errors, warnings) = findings(config, &[app("a", &[]), app("b", &["a"]), app("c", &["b"])]);
        let ids: Vec<(&str, Option<&str>)> = errors.iter().map(|f| (f.id, f.app.as_deref())).collect();
        assert_eq!(ids, [("app.E032", Some("b")), ("isolation.E031", Some("c"))]);
        assert_eq!(errors[0].location.as_deref(), Some("fastapp.toml:5:19"));
        assert!(errors[1].fix.contains("`uses = [\"a\", \"b\"]`"), "{}", errors[1]);
        let unused: Vec<&str> = warnings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            unused,
            [
                "internal app `b` declares it uses `c`, but its code does not",
                "internal app `c` declares it uses `a`, but its code does not",
            ]
        );
    }
}
