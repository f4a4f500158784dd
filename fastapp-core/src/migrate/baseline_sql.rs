//! `migrate baseline`: the SQL that creates an extracted app's tables as
//! core's migrations leave them (the app crate's baseline migration).

use diesel::sql_types::Text;
use diesel::{QueryableByName, RunQueryDsl};
use sqlparser::ast::{ObjectNamePart, Statement};
use sqlparser::dialect::SQLiteDialect;
use sqlparser::parser::Parser;

use super::{migrate, MigrationSet, Target};
use crate::{Error, Finding};

/// The SQL that creates `tables` as `core`'s migrations leave them, in the
/// order they were created: the
/// migrations are applied to a private in-memory SQLite database, which
/// keeps each table's and index's `CREATE` statement as it now stands.
/// What `cargo fastapp app extract` writes into a baseline (through the
/// project's `migrate baseline`). A foreign key to a table outside
/// `tables` (another app's) is left out, with a comment that says so: a
/// project the app crate is new to may not have that table, and
/// PostgreSQL refuses a reference to a missing one (the project the app
/// comes from keeps the key: there the baseline is adopted, never run).
/// A table no migration creates is `migration.E045`.
///
/// ```
/// use fastapp_core::migrate::{baseline_sql, Migration, MigrationSet};
/// static M: [Migration; 2] = [
///     Migration { name: "1_shop_create_items", version: "1", up: "CREATE TABLE shop_items (id TEXT PRIMARY KEY);",
///         down: None, run_in_transaction: true },
///     Migration { name: "2_shop_add_price", version: "2", up: "ALTER TABLE shop_items ADD COLUMN price INTEGER;",
///         down: None, run_in_transaction: true },
/// ];
/// let sql = baseline_sql::create_sql(&MigrationSet::core(&M), &["shop_items".into()]).unwrap();
/// assert!(sql.starts_with("CREATE TABLE shop_items (id TEXT PRIMARY KEY, price INTEGER);"), "{sql}");
///
/// static FK: [Migration; 2] = [
///     Migration { name: "1_crm_create_people", version: "1", up: "CREATE TABLE people (id TEXT PRIMARY KEY);",
///         down: None, run_in_transaction: true },
///     Migration { name: "2_shop_create_orders", version: "2",
///         up: "CREATE TABLE orders (id TEXT PRIMARY KEY, buyer TEXT REFERENCES people (id), \
///              parent TEXT REFERENCES orders (id), FOREIGN KEY (buyer) REFERENCES people (id));",
///         down: None, run_in_transaction: true },
/// ];
/// let sql = baseline_sql::create_sql(&MigrationSet::core(&FK), &["orders".into()]).unwrap();
/// assert!(sql.contains("-- left out: orders.buyer REFERENCES people (id)"), "{sql}");
/// assert!(sql.contains("-- left out: orders: FOREIGN KEY (buyer) REFERENCES people(id)"), "{sql}");
/// let create = sql.lines().find(|line| line.starts_with("CREATE")).unwrap();
///
/// // A table SQLite rebuilt is newer than the one that references it: still created first.
/// static REBUILT: [Migration; 3] = [
///     Migration { name: "1_a", version: "1", up: "CREATE TABLE parents (id TEXT PRIMARY KEY);",
///         down: None, run_in_transaction: true },
///     Migration { name: "2_b", version: "2", up: "CREATE TABLE kids (id TEXT, parent TEXT REFERENCES parents (id));",
///         down: None, run_in_transaction: true },
///     Migration { name: "3_c", version: "3", up: "PRAGMA foreign_keys = OFF; CREATE TABLE parents_new (id TEXT PRIMARY KEY, n INT); \
///         DROP TABLE parents; ALTER TABLE parents_new RENAME TO parents;", down: None, run_in_transaction: true },
/// ];
/// let sql = baseline_sql::create_sql(&MigrationSet::core(&REBUILT), &["kids".into(), "parents".into()]).unwrap();
/// assert!(sql.find("CREATE TABLE \"parents\"").or(sql.find("CREATE TABLE parents")).unwrap() < sql.find("CREATE TABLE kids").unwrap(), "{sql}");
/// assert_eq!(create, "CREATE TABLE orders (id TEXT PRIMARY KEY, buyer TEXT, parent TEXT REFERENCES orders (id));");
/// ```
pub fn create_sql(core: &MigrationSet, tables: &[String]) -> Result<String, Error> {
    #[derive(QueryableByName)]
    struct SqlRow {
        #[diesel(sql_type = Text)]
        name: String,
        #[diesel(sql_type = Text)]
        sql: String,
    }
    let mut conn = crate::db::connect(":memory:")?;
    let sets = std::slice::from_ref(core);
    migrate(&mut conn, sets, sets, Target::Latest)?;
    let rows: Vec<SqlRow> = diesel::sql_query(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL ORDER BY rowid",
    )
    .load(&mut conn)
    .map_err(|err| {
        Error::from(Finding::new(
            "db.E030",
            format!("cannot read SQLite's schema: {err}"),
            "report this",
        ))
    })?;
    if let Some(table) = tables
        .iter()
        .find(|t| !rows.iter().any(|row| row.name.eq_ignore_ascii_case(t)))
    {
        return Err(Finding::new(
            "migration.E045",
            format!("no migration of core creates table `{table}`"),
            "name a table core's migrations create (see the shared schema.rs)",
        )
        .into());
    }
    // In the order they were created, but a table always before those that
    // reference it (a table SQLite rebuilt is newer than its referrers).
    let mut pending: Vec<&SqlRow> = rows
        .iter()
        .filter(|row| tables.iter().any(|t| t.eq_ignore_ascii_case(&row.name)))
        .collect();
    let mut out = String::new();
    let mut written: Vec<String> = Vec::new();
    while !pending.is_empty() {
        let ready = pending
            .iter()
            .position(|row| {
                references(&row.sql).iter().all(|parent| {
                    parent.eq_ignore_ascii_case(&row.name)
                        || written.iter().any(|w| w.eq_ignore_ascii_case(parent))
                        || !tables.iter().any(|t| t.eq_ignore_ascii_case(parent))
                })
            })
            .unwrap_or(0); // a cycle: as created
        let row = pending.remove(ready);
        out.push_str(&own_references_only(row.sql.trim(), tables));
        out.push_str(";\n");
        written.push(row.name.clone());
    }
    let indexes: Vec<SqlRow> = diesel::sql_query(
        "SELECT tbl_name AS name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY rowid",
    )
    .load(&mut conn)
    .map_err(|err| Error::from(Finding::new("db.E030", format!("cannot read SQLite's schema: {err}"), "report this")))?;
    for index in indexes
        .iter()
        .filter(|index| tables.iter().any(|t| t.eq_ignore_ascii_case(&index.name)))
    {
        out.push_str(index.sql.trim());
        out.push_str(";\n");
    }
    Ok(out)
}

/// The tables the `CREATE TABLE` statement `sql` references (lower-cased).
fn references(sql: &str) -> Vec<String> {
    use sqlparser::ast::{ColumnOption, TableConstraint};
    let Ok(statements) = Parser::parse_sql(&SQLiteDialect {}, sql) else {
        return Vec::new();
    };
    let name = |fk: &sqlparser::ast::ForeignKeyConstraint| match fk.foreign_table.0.last() {
        Some(ObjectNamePart::Identifier(ident)) => Some(ident.value.to_lowercase()),
        _ => None,
    };
    let mut out = Vec::new();
    for statement in &statements {
        if let Statement::CreateTable(create) = statement {
            for column in &create.columns {
                for option in &column.options {
                    if let ColumnOption::ForeignKey(fk) = &option.option {
                        out.extend(name(fk));
                    }
                }
            }
            for constraint in &create.constraints {
                if let TableConstraint::ForeignKey(fk) = constraint {
                    out.extend(name(fk));
                }
            }
        }
    }
    out
}

/// The `CREATE TABLE` statement `sql` without its foreign keys to tables
/// outside `tables`, a comment naming each; as it was when it has none.
fn own_references_only(sql: &str, tables: &[String]) -> String {
    use sqlparser::ast::{ColumnOption, TableConstraint};
    let Ok(mut statements) = Parser::parse_sql(&SQLiteDialect {}, sql) else {
        return sql.to_string();
    };
    let [Statement::CreateTable(create)] = statements.as_mut_slice() else {
        return sql.to_string();
    };
    let foreign = |name: &sqlparser::ast::ObjectName| match name.0.last() {
        Some(ObjectNamePart::Identifier(ident)) => {
            !tables.iter().any(|t| t.eq_ignore_ascii_case(&ident.value))
        }
        _ => false,
    };
    let table = create.name.to_string();
    let mut left_out = Vec::new();
    for column in &mut create.columns {
        column.options.retain(|option| match &option.option {
            ColumnOption::ForeignKey(fk) if foreign(&fk.foreign_table) => {
                left_out.push(format!("{table}.{} {}", column.name, option.option));
                false
            }
            _ => true,
        });
    }
    create.constraints.retain(|constraint| match constraint {
        TableConstraint::ForeignKey(fk) if foreign(&fk.foreign_table) => {
            left_out.push(format!("{table}: {constraint}"));
            false
        }
        _ => true,
    });
    if left_out.is_empty() {
        return sql.to_string();
    }
    let comments: String = left_out
        .iter()
        .map(|what| {
            format!(
                "-- left out: {what} (another app's table, which a project new to this app may not have)\n"
            )
        })
        .collect();
    format!("{comments}{create}")
}
