//! `model.E019`: one table, one owning app.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::registry::{self, AppKind};
use crate::{Finding, Project};

use super::app::ResolvedApp;

/// A `#[model]` of this configuration and who owns its table.
#[derive(Debug)]
pub(crate) struct OwnedModel {
    /// The model.
    pub model: &'static registry::ModelEntry,
    /// `core`, an internal app, or an external app.
    pub owner: String,
    /// The external app's crate, for a model of an external app.
    pub external_crate: Option<&'static str>,
}

/// The models of core and the listed apps (models of crates that are not
/// part of this configuration, and of internal apps not listed, are left
/// out), each with its owner.
pub(crate) fn owned_models(project: &Project, apps: &[ResolvedApp]) -> Vec<OwnedModel> {
    // Looked up once per model: maps, linear in the models and the apps.
    let mut external: HashMap<&str, &ResolvedApp> = HashMap::new();
    for app in apps.iter().filter(|a| a.entry.kind == AppKind::External) {
        external.entry(app.entry.crate_name).or_insert(app);
    }
    let listed: HashSet<&str> = apps.iter().map(|a| a.entry.name).collect();
    let owned = |model: &'static registry::ModelEntry| -> Option<OwnedModel> {
        if let Some(app) = external.get(model.crate_name) {
            return Some(OwnedModel {
                model,
                owner: app.entry.name.to_string(),
                external_crate: Some(app.entry.crate_name),
            });
        }
        if model.crate_name != project.crate_name {
            return None;
        }
        let owner = model.internal_app().unwrap_or("core");
        (owner == "core" || listed.contains(owner)).then(|| OwnedModel {
            model,
            owner: owner.to_string(),
            external_crate: None,
        })
    };
    registry::models().iter().filter_map(owned).collect()
}

/// `model.E019`: a table mapped by `#[model]`s of two different apps (of
/// core and the listed apps).
pub(super) fn model_ownership(project: &Project, apps: &[ResolvedApp]) -> Vec<Finding> {
    // External apps' tables live in their own schema module, everything
    // else in the shared one.
    let mut by_table: BTreeMap<(&str, &str), Vec<(String, &registry::ModelEntry)>> = BTreeMap::new();
    for owned in owned_models(project, apps) {
        by_table
            .entry((owned.external_crate.unwrap_or("shared"), owned.model.table))
            .or_default()
            .push((owned.owner, owned.model));
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
