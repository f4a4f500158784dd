//! The version tables: diesel's own `__diesel_schema_migrations` for core,
//! `__fastapp_migrations_<app>` for external apps, and
//! `__fastapp_checksums` and `__fastapp_unfinished` beside them. Table
//! names reaching SQL here are validated identifiers (see `MigrationSet`);
//! values are always bound.

use std::collections::HashMap;

use diesel::connection::SimpleConnection;
use diesel::sql_types::Text;
use diesel::{QueryResult, QueryableByName, RunQueryDsl};

use crate::db::{Backend, DbConnection};

/// Where checksums of applied migrations are kept, for every version table.
pub const CHECKSUM_TABLE: &str = "__fastapp_checksums";

/// A row of a version table.
#[derive(Debug, Clone, QueryableByName)]
pub struct AppliedRow {
    /// The version as recorded.
    #[diesel(sql_type = Text)]
    pub version: String,
    /// When it was applied, as the database prints it.
    #[diesel(sql_type = Text)]
    pub run_on: String,
}

/// Where migrations that run outside a transaction (`run_in_transaction =
/// false`) are marked while they run, and stay marked when they fail or the
/// runner dies, until `migrate resolve` says what happened.
pub const UNFINISHED_TABLE: &str = "__fastapp_unfinished";

/// A migration that started outside a transaction and did not finish.
#[derive(Debug, Clone, QueryableByName)]
pub struct UnfinishedRow {
    /// The version.
    #[diesel(sql_type = Text)]
    pub version: String,
    /// `up` (applying) or `down` (reverting).
    #[diesel(sql_type = Text)]
    pub direction: String,
    /// The database's error; empty when the runner died while it ran.
    #[diesel(sql_type = Text)]
    pub error: String,
    /// When it started, as the database prints it.
    #[diesel(sql_type = Text)]
    pub since: String,
}

#[derive(QueryableByName)]
struct ChecksumRow {
    #[diesel(sql_type = Text)]
    version: String,
    #[diesel(sql_type = Text)]
    checksum: String,
}

#[derive(QueryableByName)]
struct NameRow {
    #[diesel(sql_type = Text)]
    name: String,
}

/// The n-th (1-based) bind placeholder of the connection's backend.
pub(super) fn ph(conn: &DbConnection, n: usize) -> String {
    match conn.backend() {
        Backend::Sqlite => "?".into(),
        Backend::Postgres => format!("${n}"),
    }
}

/// Whether `table` exists (read-only).
pub fn table_exists(conn: &mut DbConnection, table: &str) -> QueryResult<bool> {
    let sql = match conn.backend() {
        Backend::Sqlite => format!(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = {}",
            ph(conn, 1)
        ),
        Backend::Postgres => format!(
            "SELECT CAST(table_name AS TEXT) AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = {}",
            ph(conn, 1)
        ),
    };
    let rows: Vec<NameRow> = diesel::sql_query(sql).bind::<Text, _>(table).load(conn)?;
    Ok(rows.iter().any(|r| r.name == table))
}

/// Every table of the current schema (read-only).
pub fn all_tables(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    let sql = match conn.backend() {
        Backend::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
        Backend::Postgres => {
            "SELECT CAST(table_name AS TEXT) AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
        }
    };
    let rows: Vec<NameRow> = diesel::sql_query(sql).load(conn)?;
    Ok(rows.into_iter().map(|r| r.name).collect())
}

/// Creates the version table (diesel's layout) and the checksum table.
pub fn ensure_tables(conn: &mut DbConnection, table: &str) -> QueryResult<()> {
    conn.batch_execute(&format!(
        "CREATE TABLE IF NOT EXISTS {table} (\
           version VARCHAR(50) PRIMARY KEY NOT NULL, \
           run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP); \
         CREATE TABLE IF NOT EXISTS {CHECKSUM_TABLE} (\
           version_table VARCHAR(64) NOT NULL, \
           version VARCHAR(50) NOT NULL, \
           checksum VARCHAR(64) NOT NULL, \
           PRIMARY KEY (version_table, version)); \
         CREATE TABLE IF NOT EXISTS {UNFINISHED_TABLE} (\
           version_table VARCHAR(64) NOT NULL, \
           version VARCHAR(50) NOT NULL, \
           direction VARCHAR(4) NOT NULL, \
           error TEXT NOT NULL DEFAULT '', \
           since TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, \
           PRIMARY KEY (version_table, version));"
    ))
}

/// Migrations of `table` that started outside a transaction and did not
/// finish; none if nothing was ever marked.
pub fn unfinished(conn: &mut DbConnection, table: &str) -> QueryResult<Vec<UnfinishedRow>> {
    if !table_exists(conn, UNFINISHED_TABLE)? {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT version, direction, error, CAST(since AS TEXT) AS since FROM {UNFINISHED_TABLE} \
         WHERE version_table = {} ORDER BY version",
        ph(conn, 1)
    );
    diesel::sql_query(sql).bind::<Text, _>(table).load(conn)
}

/// Marks `version` as running outside a transaction (`up` or `down`).
pub fn mark_started(conn: &mut DbConnection, table: &str, version: &str, direction: &str) -> QueryResult<()> {
    forget_unfinished(conn, table, version)?;
    diesel::sql_query(format!(
        "INSERT INTO {UNFINISHED_TABLE} (version_table, version, direction) VALUES ({}, {}, {})",
        ph(conn, 1),
        ph(conn, 2),
        ph(conn, 3)
    ))
    .bind::<Text, _>(table)
    .bind::<Text, _>(version)
    .bind::<Text, _>(direction)
    .execute(conn)?;
    Ok(())
}

/// Keeps the error of a marked migration that failed.
pub fn mark_failed(conn: &mut DbConnection, table: &str, version: &str, error: &str) -> QueryResult<()> {
    diesel::sql_query(format!(
        "UPDATE {UNFINISHED_TABLE} SET error = {} WHERE version_table = {} AND version = {}",
        ph(conn, 1),
        ph(conn, 2),
        ph(conn, 3)
    ))
    .bind::<Text, _>(error)
    .bind::<Text, _>(table)
    .bind::<Text, _>(version)
    .execute(conn)?;
    Ok(())
}

/// Removes the mark of `version` (it finished, or was resolved by hand).
pub fn forget_unfinished(conn: &mut DbConnection, table: &str, version: &str) -> QueryResult<()> {
    if !table_exists(conn, UNFINISHED_TABLE)? {
        return Ok(());
    }
    diesel::sql_query(format!(
        "DELETE FROM {UNFINISHED_TABLE} WHERE version_table = {} AND version = {}",
        ph(conn, 1),
        ph(conn, 2)
    ))
    .bind::<Text, _>(table)
    .bind::<Text, _>(version)
    .execute(conn)?;
    Ok(())
}

/// Applied versions of `table`, oldest first; none if the table does not exist.
pub fn applied(conn: &mut DbConnection, table: &str) -> QueryResult<Vec<AppliedRow>> {
    if !table_exists(conn, table)? {
        return Ok(Vec::new());
    }
    diesel::sql_query(format!(
        "SELECT version, CAST(run_on AS TEXT) AS run_on FROM {table} ORDER BY version"
    ))
    .load(conn)
}

/// Recorded checksums of `table`'s applied versions.
pub fn checksums(conn: &mut DbConnection, table: &str) -> QueryResult<HashMap<String, String>> {
    if !table_exists(conn, CHECKSUM_TABLE)? {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT version, checksum FROM {CHECKSUM_TABLE} WHERE version_table = {}",
        ph(conn, 1)
    );
    let rows: Vec<ChecksumRow> = diesel::sql_query(sql).bind::<Text, _>(table).load(conn)?;
    Ok(rows.into_iter().map(|r| (r.version, r.checksum)).collect())
}

/// Records `version` as applied, with its checksum.
pub fn record(conn: &mut DbConnection, table: &str, version: &str, checksum: &str) -> QueryResult<()> {
    diesel::sql_query(format!("INSERT INTO {table} (version) VALUES ({})", ph(conn, 1)))
        .bind::<Text, _>(version)
        .execute(conn)?;
    record_checksum(conn, table, version, checksum)
}

/// Records the checksum of an applied version (one applied by the diesel CLI, say).
pub fn record_checksum(
    conn: &mut DbConnection,
    table: &str,
    version: &str,
    checksum: &str,
) -> QueryResult<()> {
    forget_checksum(conn, table, version)?;
    diesel::sql_query(format!(
        "INSERT INTO {CHECKSUM_TABLE} (version_table, version, checksum) VALUES ({}, {}, {})",
        ph(conn, 1),
        ph(conn, 2),
        ph(conn, 3)
    ))
    .bind::<Text, _>(table)
    .bind::<Text, _>(version)
    .bind::<Text, _>(checksum)
    .execute(conn)?;
    Ok(())
}

/// Forgets an applied version (after reverting it).
pub fn forget(conn: &mut DbConnection, table: &str, version: &str) -> QueryResult<()> {
    diesel::sql_query(format!("DELETE FROM {table} WHERE version = {}", ph(conn, 1)))
        .bind::<Text, _>(version)
        .execute(conn)?;
    forget_checksum(conn, table, version)
}

fn forget_checksum(conn: &mut DbConnection, table: &str, version: &str) -> QueryResult<()> {
    diesel::sql_query(format!(
        "DELETE FROM {CHECKSUM_TABLE} WHERE version_table = {} AND version = {}",
        ph(conn, 1),
        ph(conn, 2)
    ))
    .bind::<Text, _>(table)
    .bind::<Text, _>(version)
    .execute(conn)?;
    Ok(())
}
