//! `migration.E053` against a database: a model reads a table or a column
//! the migrated database does not have. That is a model and its schema.rs
//! changed without the migration that makes the change, which builds (the
//! model matches schema.rs) and then fails every request that reads it.
//!
//! `check` runs it on a private in-memory SQLite database that the binary's
//! migrations are applied to; `serve` on the served database after
//! migrating, as a warning.

use std::collections::BTreeMap;

use diesel::QueryResult;

use crate::db::DbConnection;
use crate::loader::OwnedModel;
use crate::Finding;

/// What each model reads that the database lacks, one finding per model.
pub(crate) fn drift(conn: &mut DbConnection, models: &[OwnedModel]) -> QueryResult<Vec<Finding>> {
    // Each table is read once, however many models map it.
    let mut tables: BTreeMap<&str, Option<Vec<String>>> = BTreeMap::new();
    let mut findings = Vec::new();
    for owned in models {
        let model = owned.model;
        if !tables.contains_key(model.table) {
            // A table or a view: models read both.
            let columns: Vec<String> = super::baseline::listed_columns(conn, model.table)?
                .into_iter()
                .map(|(name, _)| name)
                .collect();
            tables.insert(model.table, (!columns.is_empty()).then_some(columns));
        }
        let lacking = match &tables[model.table] {
            None => format!("table `{}`", model.table),
            Some(have) => {
                let missing: Vec<String> = model
                    .columns
                    .iter()
                    .filter(|c| !have.contains(&c.to_lowercase()))
                    .map(|c| format!("`{}.{c}`", model.table))
                    .collect();
                if missing.is_empty() {
                    continue;
                }
                let noun = if missing.len() == 1 { "column" } else { "columns" };
                format!("{noun} {}", missing.join(", "))
            }
        };
        findings.push(finding(owned, &lacking));
    }
    Ok(findings)
}

fn finding(owned: &OwnedModel, lacking: &str) -> Finding {
    let model = owned.model;
    let fix = match owned.external_crate {
        Some(krate) => format!(
            "add the migration that makes this change to the `{krate}` crate's migrations/ and rebuild; or take \
             it out of the model and the crate's schema.rs"
        ),
        None => format!(
            "create the migration that makes this change: `makemigrations {} <name>` (it diffs schema.rs against \
             the migrations), review its SQL, rebuild and `migrate`; or take it out of the model and schema.rs",
            if owned.owner == "core" { "<app>" } else { &owned.owner }
        ),
    };
    Finding::new(
        "migration.E053",
        format!(
            "model `{}` reads {lacking}, which the migrated database does not have: the model and its schema \
             changed without a migration, so every query of this model fails",
            model.type_name
        ),
        fix,
    )
    .app(owned.owner.clone())
    .location(model.location.to_string())
}

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection;

    use super::*;
    use crate::registry::{Location, ModelEntry};

    static POST: ModelEntry = ModelEntry {
        table: "posts",
        columns: &["id", "title", "pinned"],
        type_name: "Post",
        module_path: "demo::apps::blog::models",
        crate_name: "demo",
        location: Location {
            file: "src/apps/blog/models.rs",
            line: 7,
        },
    };
    static TAG: ModelEntry = ModelEntry {
        table: "tags",
        columns: &["id"],
        type_name: "Tag",
        module_path: "demo::apps::blog::models",
        crate_name: "demo",
        location: Location {
            file: "src/apps/blog/models.rs",
            line: 20,
        },
    };

    fn owned(model: &'static ModelEntry) -> OwnedModel {
        OwnedModel {
            model,
            owner: "blog".into(),
            external_crate: None,
        }
    }

    #[test]
    fn a_column_or_table_the_database_lacks_is_named_with_the_model_and_the_fix() {
        let mut conn = crate::db::connect(":memory:").unwrap();
        conn.batch_execute("CREATE TABLE posts (id TEXT PRIMARY KEY, Title TEXT)")
            .unwrap();
        let found = drift(&mut conn, &[owned(&POST), owned(&TAG)]).unwrap();
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].id, "migration.E053");
        assert!(
            found[0]
                .message
                .contains("model `Post` reads column `posts.pinned`"),
            "{}",
            found[0]
        );
        assert!(
            found[0].fix.contains("`makemigrations blog <name>`"),
            "{}",
            found[0]
        );
        assert_eq!(found[0].location.as_deref(), Some("src/apps/blog/models.rs:7"));
        assert!(
            found[1].message.contains("model `Tag` reads table `tags`"),
            "{}",
            found[1]
        );

        // A view is as good as a table.
        conn.batch_execute(
            "ALTER TABLE posts ADD COLUMN pinned BOOL; CREATE VIEW tags AS SELECT id FROM posts",
        )
        .unwrap();
        assert!(drift(&mut conn, &[owned(&POST), owned(&TAG)]).unwrap().is_empty());
    }
}
