//! `model.E019`: one table, one owning app.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::registry::{self, AppKind};
use crate::{Finding, Project};

use super::ResolvedApp;

/// `model.E019`: a table mapped by `#[model]`s of two different apps (of
/// core and the listed apps; models of crates that are not part of this
/// configuration are ignored).
pub(super) fn model_ownership(project: &Project, apps: &[ResolvedApp]) -> Vec<Finding> {
    // Looked up once per model: maps, linear in the models and the apps.
    let mut external: HashMap<&str, &ResolvedApp> = HashMap::new();
    for app in apps.iter().filter(|a| a.entry.kind == AppKind::External) {
        external.entry(app.entry.crate_name).or_insert(app);
    }
    let listed: HashSet<&str> = apps.iter().map(|a| a.entry.name).collect();
    // (schema scope, owning app) of a model: external apps' tables live in
    // their own schema module, everything else in the shared one.
    let owner_of = |model: &registry::ModelEntry| -> Option<(&str, String)> {
        if let Some(app) = external.get(model.crate_name) {
            return Some((app.entry.crate_name, app.entry.name.to_string()));
        }
        if model.crate_name != project.crate_name {
            return None;
        }
        let owner = model.internal_app().unwrap_or("core");
        (owner == "core" || listed.contains(owner)).then(|| ("shared", owner.to_string()))
    };
    let mut by_table: BTreeMap<(&str, &str), Vec<(String, &registry::ModelEntry)>> = BTreeMap::new();
    for model in registry::models() {
        if let Some((scope, owner)) = owner_of(model) {
            by_table
                .entry((scope, model.table))
                .or_default()
                .push((owner, model));
        }
    }
    let mut out = Vec::new();
    for ((_, table), models) in by_table {
        let owners: BTreeSet<&str> = models.iter().map(|(o, _)| o.as_str()).collect();
        if owners.len() > 1 {
            let list = models
                .iter()
                .map(|(o, m)| format!("`{}` ({}::{})", o, m.module_path, m.type_name))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(
                Finding::new(
                    "model.E019",
                    format!("table `{table}` is claimed by models of several apps: {list}"),
                    "a table belongs to one app: keep its #[model]s in that app and let the others call its functions",
                )
                .app(models[0].0.clone())
                .location(format!("table {table}")),
            );
        }
    }
    out
}
