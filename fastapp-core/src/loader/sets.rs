//! Which migration sets a run covers, and in which order.

use crate::config::Config;
use crate::migrate::MigrationSet;
use crate::registry::AppKind;
use crate::{Error, Project};

use super::app::ResolvedApp;

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

#[cfg(any(test, feature = "testing"))]
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
        crate::registry::models()
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

#[cfg(test)]
mod examples {
    //! The examples of this module's items (the module is private to the
    //! crate, so they run here rather than as doc tests).

    #[test]
    fn migration_sets() {
        use crate::registry::AppEntry;
        static NEWS: AppEntry = crate::fixtures::NEWS;
        use crate::{config::Config, loader, Project};
        static PROJECT: Project = Project {
            external_apps: &[&NEWS],
            ..crate::fixtures::PROJECT
        };
        let order = |toml: &str| {
            let config = Config::parse("fastapp.toml", toml).unwrap();
            let apps = loader::resolve(&PROJECT, &config).unwrap().apps;
            let sets = loader::migration_sets(&PROJECT, &config, &apps).unwrap();
            sets.iter().map(|set| set.app().to_string()).collect::<Vec<_>>()
        };
        assert_eq!(order("apps = [\"news\"]"), ["core", "news"]);
        assert_eq!(
            order("apps = [\"news\"]\n[migration]\norder = [\"news\", \"core\"]\n"),
            ["news", "core"]
        );
    }

    #[test]
    fn migration_sets_of() {
        use crate::registry::{AppEntry, Location};
        static NEWS: AppEntry = crate::fixtures::NEWS;
        // What `#[internal_app]` records for `src/apps/blog/` of crate `demo`.
        #[crate::__private::linkme::distributed_slice(crate::__private::APPS)]
        #[linkme(crate = crate::__private::linkme)]
        static BLOG: AppEntry = AppEntry {
            name: "blog",
            crate_name: "demo",
            location: Location {
                file: "src/apps/blog/mod.rs",
                line: 1,
            },
            ..crate::fixtures::APP
        };
        use crate::{config::Config, loader, migrate::Migration, Project};
        static CORE: [Migration; 2] = [
            Migration {
                name: "2024-01-01-000001_create_sessions",
                version: "20240101000001",
                up: "CREATE TABLE sessions (id INT);",
                down: None,
                run_in_transaction: true,
            },
            Migration {
                name: "2024-01-01-000002_blog_create_posts",
                version: "20240101000002",
                up: "CREATE TABLE posts (id INT);",
                down: None,
                run_in_transaction: true,
            },
        ];
        static PROJECT: Project = Project {
            migrations: &CORE,
            external_apps: &[&NEWS],
            ..crate::fixtures::PROJECT
        };
        let config = Config::parse("fastapp.toml", "apps = [\"apps.blog\", \"news\"]").unwrap();
        let all = loader::resolve(&PROJECT, &config).unwrap().apps;
        let news_only = loader::with_dependencies(&all, &["news"]).unwrap();
        let sets = loader::migration_sets_of(&PROJECT, &config, &all, &news_only).unwrap();
        // Core keeps its own migration, not blog's (by its name); news has its set.
        let core: Vec<&str> = sets[0].migrations().iter().map(|m| m.name).collect();
        assert_eq!(core, ["2024-01-01-000001_create_sessions"]);
        assert_eq!(sets[1].app(), "news");
    }
}
