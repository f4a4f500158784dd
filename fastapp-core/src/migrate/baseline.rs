//! Baselines: the first migration of an app crate extracted from a project
//! (`cargo fastapp app extract`), which creates the app's tables as they
//! already are in every database of that project.
//!
//! A baseline is an external app's migration whose up.sql holds the line
//! [`MARKER`]. When `migrate` reaches it, it looks at the database:
//! - none of its tables exists (a database the app is new to): it runs like
//!   any migration;
//! - every table exists, with every column it creates and a matching type:
//!   it is *adopted*, recorded as applied in the app's version table without
//!   running (the project's own history created the tables);
//! - anything in between: `migration.E057`, naming each difference, and it
//!   neither runs nor is recorded.
//!
//! Types match by family, so that the spellings SQLite keeps and the names
//! PostgreSQL reports compare equal (see [`type_family`]).

use diesel::sql_types::Text;
use diesel::{QueryResult, QueryableByName, RunQueryDsl};
use sqlparser::ast::{ObjectNamePart, Statement};
use sqlparser::dialect::{PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::Parser;

use super::MigrationSet;
use crate::db::{Backend, DbConnection};
use crate::{Error, Finding};

/// The line that makes an external app's migration a baseline.
///
/// ```
/// use fastapp_core::migrate::baseline::{is_baseline, MARKER};
/// assert!(is_baseline(&format!("{MARKER}\nCREATE TABLE shop_items (id TEXT PRIMARY KEY);")));
/// assert!(!is_baseline("CREATE TABLE shop_items (id TEXT PRIMARY KEY);"));
/// ```
pub const MARKER: &str = "-- fastapp: baseline";

/// Whether `sql` (an up.sql) is a baseline's.
///
/// ```
/// assert!(fastapp_core::migrate::baseline::is_baseline("  -- fastapp: baseline  \nSELECT 1;"));
/// ```
pub fn is_baseline(sql: &str) -> bool {
    sql.lines().any(|line| line.trim() == MARKER)
}

/// A table a baseline creates: its name and its columns with their
/// declared types, lower-cased and unquoted.
///
/// ```
/// use fastapp_core::migrate::baseline::{tables, Table};
/// let expected = Table { name: "notes".into(), columns: vec![("id".into(), "INTEGER".into())] };
/// assert_eq!(tables("CREATE TABLE Notes (id INTEGER);"), [expected]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The table's name.
    pub name: String,
    /// Each column's name and declared type, in order.
    pub columns: Vec<(String, String)>,
}

/// The tables `sql` creates (its `CREATE TABLE` statements), read with the
/// SQL parser (SQLite's dialect, then PostgreSQL's); none when neither reads it.
///
/// ```
/// use fastapp_core::migrate::baseline::tables;
/// let created = tables("CREATE TABLE shop_items (id TEXT PRIMARY KEY NOT NULL, \"Price\" BIGINT);");
/// assert_eq!(created[0].name, "shop_items");
/// assert_eq!(created[0].columns, [("id".into(), "TEXT".into()), ("price".into(), "BIGINT".into())]);
/// ```
pub fn tables(sql: &str) -> Vec<Table> {
    let statements = Parser::parse_sql(&SQLiteDialect {}, sql)
        .or_else(|_| Parser::parse_sql(&PostgreSqlDialect {}, sql))
        .unwrap_or_default();
    statements
        .iter()
        .filter_map(|statement| match statement {
            Statement::CreateTable(create) => {
                let name = match create.name.0.last()? {
                    ObjectNamePart::Identifier(ident) => ident.value.to_lowercase(),
                    ObjectNamePart::Function(_) => return None,
                };
                let columns = create
                    .columns
                    .iter()
                    .map(|c| (c.name.value.to_lowercase(), c.data_type.to_string()))
                    .collect();
                Some(Table { name, columns })
            }
            _ => None,
        })
        .collect()
}

/// A type's family: what SQLite's declared type and PostgreSQL's type
/// name have in common (`VARCHAR(50)` and `varchar`, `INTEGER` and `int4`,
/// `TIMESTAMP` and `timestamp without time zone`); an unknown type is
/// itself, lower-cased, without its arguments.
///
/// ```
/// use fastapp_core::migrate::baseline::type_family;
/// assert_eq!(type_family("INTEGER"), type_family("int4"));
/// assert_eq!(type_family("BIGSERIAL"), type_family("int8"));
/// assert_eq!(type_family("VARCHAR(50)"), type_family("character varying"));
/// assert_eq!(type_family("DOUBLE PRECISION"), "float8");
/// assert_ne!(type_family("TEXT"), type_family("BIGINT"));
/// assert_eq!(type_family("Geometry(Point, 4326)"), "geometry");
/// assert_eq!(type_family("TIMESTAMP(3) WITH TIME ZONE"), type_family("timestamptz"));
/// assert_eq!(type_family("TIME WITH TIME ZONE"), type_family("timetz"));
/// assert_eq!(type_family("TEXT[]"), type_family("_text"));
/// ```
pub fn type_family(ty: &str) -> String {
    let lower = ty.trim().to_ascii_lowercase();
    // An array is PostgreSQL's `_<element>`.
    if let Some(element) = lower.strip_suffix("[]") {
        return format!("_{}", type_family(element));
    }
    // Arguments go wherever they are: `TIMESTAMP(3) WITH TIME ZONE`.
    let mut base = String::new();
    let mut depth = 0;
    for c in lower.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth == 0 => base.push(c),
            _ => {}
        }
    }
    let base = base.split_whitespace().collect::<Vec<_>>().join(" ");
    let family = match base.as_str() {
        "text" | "clob" | "string" => "text",
        "varchar" | "character varying" | "nvarchar" | "varying character" => "varchar",
        "char" | "character" | "bpchar" | "nchar" => "bpchar",
        "integer" | "int" | "int4" | "serial" | "serial4" | "mediumint" => "int4",
        "bigint" | "int8" | "bigserial" | "serial8" => "int8",
        "smallint" | "int2" | "smallserial" | "serial2" | "tinyint" => "int2",
        "boolean" | "bool" => "bool",
        "real" | "float4" => "float4",
        "double precision" | "double" | "float8" | "float" => "float8",
        "numeric" | "decimal" => "numeric",
        "timestamp" | "timestamp without time zone" | "datetime" => "timestamp",
        "timestamptz" | "timestamp with time zone" => "timestamptz",
        "time" | "time without time zone" => "time",
        "timetz" | "time with time zone" => "timetz",
        "blob" | "bytea" | "binary" => "bytea",
        other => other,
    };
    family.to_string()
}

/// What a database holds of a baseline's tables (see [`inspect`], whose
/// example meets all three).
///
/// ```
/// use fastapp_core::migrate::baseline::Presence;
/// let differs = Presence::Differs(vec!["table `notes` has no column `body`".into()]);
/// assert_ne!(differs, Presence::Present);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Presence {
    /// None of them: the baseline runs.
    Absent,
    /// All of them, each column with a matching type: the baseline is adopted.
    Present,
    /// Anything else: each difference, said for a person.
    Differs(Vec<String>),
}

#[derive(QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    ty: String,
}

/// The columns of `table` and their types as the database reports them;
/// `None` when there is no such table (reads only).
pub(super) fn columns(conn: &mut DbConnection, table: &str) -> QueryResult<Option<Vec<(String, String)>>> {
    if !super::history::table_exists(conn, table)? {
        return Ok(None);
    }
    listed_columns(conn, table).map(Some)
}

/// The columns of the table or view `table` (none when there is neither),
/// lower-cased, with their types.
pub(super) fn listed_columns(conn: &mut DbConnection, table: &str) -> QueryResult<Vec<(String, String)>> {
    let sql = match conn.backend() {
        Backend::Sqlite => "SELECT name, type AS ty FROM pragma_table_info(?)",
        Backend::Postgres => {
            "SELECT CAST(column_name AS TEXT) AS name, CAST(udt_name AS TEXT) AS ty FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position"
        }
    };
    let rows: Vec<ColumnRow> = diesel::sql_query(sql).bind::<Text, _>(table).load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| (row.name.to_lowercase(), row.ty))
        .collect())
}

/// Compares the tables the baseline `sql` creates with the database
/// (reads only).
///
/// ```
/// use diesel::connection::SimpleConnection;
/// use fastapp_core::{db, migrate::baseline::{inspect, Presence, MARKER}};
/// let baseline = format!("{MARKER}\nCREATE TABLE shop_items (id TEXT PRIMARY KEY, price INTEGER);");
/// let mut conn = db::connect(":memory:").unwrap();
/// assert_eq!(inspect(&mut conn, &baseline).unwrap(), Presence::Absent);
/// conn.batch_execute("CREATE TABLE shop_items (id TEXT PRIMARY KEY, price TEXT)").unwrap();
/// let Presence::Differs(differences) = inspect(&mut conn, &baseline).unwrap() else { panic!() };
/// assert!(differences[0].contains("`shop_items.price`"), "{differences:?}");
/// conn.batch_execute("DROP TABLE shop_items; CREATE TABLE shop_items (id TEXT PRIMARY KEY, price INT, extra TEXT)").unwrap();
/// assert_eq!(inspect(&mut conn, &baseline).unwrap(), Presence::Present);
/// ```
pub fn inspect(conn: &mut DbConnection, sql: &str) -> QueryResult<Presence> {
    let wanted = tables(sql);
    let mut found = Vec::new();
    for table in &wanted {
        found.push(columns(conn, &table.name)?);
    }
    if found.iter().all(Option::is_none) {
        return Ok(Presence::Absent);
    }
    let mut differences = Vec::new();
    for (table, have) in wanted.iter().zip(&found) {
        let Some(have) = have else {
            differences.push(format!("table `{}` does not exist", table.name));
            continue;
        };
        for (column, ty) in &table.columns {
            match have.iter().find(|(name, _)| name == column) {
                None => differences.push(format!("table `{}` has no column `{column}`", table.name)),
                Some((_, actual)) if type_family(actual) != type_family(ty) => differences.push(format!(
                    "column `{}.{column}` is `{actual}` in the database, but the baseline creates it as `{ty}`",
                    table.name
                )),
                Some(_) => {}
            }
        }
    }
    Ok(if differences.is_empty() {
        Presence::Present
    } else {
        Presence::Differs(differences)
    })
}

/// `migration.E057`: a baseline meets tables that are not what it creates.
pub(super) fn differs(set: &MigrationSet, name: &str, differences: &[String]) -> Error {
    Finding::new(
        "migration.E057",
        format!(
            "baseline {name} of `{}` can neither run nor be adopted: the database holds some of its tables, not as it creates them:\n  {}",
            set.app(),
            differences.join("\n  ")
        ),
        format!(
            "a baseline is adopted only where every table and column it creates exists with the same type: bring the \
             database to the project's schema first (run the migrations of the build the app was extracted from), or, \
             on a database that must not keep these tables, drop them; nothing of `{}` was run or recorded",
            set.app()
        ),
    )
    .app(set.app().to_string())
    .location(format!("{name}/up.sql"))
    .into()
}
