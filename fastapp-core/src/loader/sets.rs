//! Which migration sets a run covers, and in which order.

use crate::config::Config;
use crate::migrate::MigrationSet;
use crate::registry::{self, AppKind};
use crate::{Error, Project};

use super::ResolvedApp;

/// Migration sets in run order: `[migration] order` when given, else core
/// first and external apps in config order.
pub fn migration_sets(
    project: &Project,
    config: &Config,
    apps: &[ResolvedApp],
) -> Result<Vec<MigrationSet>, Error> {
    let core = MigrationSet::core(project.migrations);
    let mut external = apps
        .iter()
        .filter(|a| a.entry.kind == AppKind::External)
        .map(|a| MigrationSet::external(a.entry.name, a.entry.migrations))
        .collect::<Result<Vec<_>, _>>()?;
    let Some((order, _)) = &config.migration_order else {
        let mut sets = vec![core];
        sets.append(&mut external);
        return Ok(sets);
    };
    let mut all: Vec<MigrationSet> = std::iter::once(core).chain(external).collect();
    let mut sets = Vec::new();
    for name in order {
        if let Some(i) = all.iter().position(|s| s.app() == name) {
            sets.push(all.remove(i));
        }
    }
    sets.extend(all);
    Ok(sets)
}

/// [`migration_sets`] for a partial boot: only the external apps among
/// `selected`, and of core's shared migrations those of core itself and
/// those whose owning internal apps ([`Migration::owners`]: by the tables
/// they touch and the apps' `#[model]`s, else by name) are all selected.
///
/// [`Migration::owners`]: crate::migrate::Migration::owners
pub fn migration_sets_of(
    project: &Project,
    config: &Config,
    all: &[ResolvedApp],
    selected: &[ResolvedApp],
) -> Result<Vec<MigrationSet>, Error> {
    let internal: Vec<&str> = all
        .iter()
        .filter(|a| a.entry.kind == AppKind::Internal)
        .map(|a| a.entry.name)
        .collect();
    let table_owner = |table: &str| {
        registry::models()
            .iter()
            .filter(|m| m.crate_name == project.crate_name && m.table == table)
            .find_map(|m| m.internal_app().filter(|app| internal.contains(app)))
    };
    let chosen = |app: &str| selected.iter().any(|a| a.entry.name == app);
    Ok(migration_sets(project, config, selected)?
        .into_iter()
        .map(|set| {
            if set.app() == "core" {
                set.retain(|m| m.owners(&internal, table_owner).into_iter().all(chosen))
            } else {
                set
            }
        })
        .collect())
}
