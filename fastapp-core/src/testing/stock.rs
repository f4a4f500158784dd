//! Migrated once per process, fresh for every test.
//!
//! The test kit keys a template by the migrations a boot applies (the
//! selected apps' sets, in order, with their SQL), so an edited migration or
//! another `.apps([...])` subset gets a template of its own.
//!
//! - SQLite: the template is a migrated file in this process's directory
//!   ([`owner::sqlite_dir`]); a test's database is a copy of it.
//! - PostgreSQL: the template is a migrated database; a test's database is
//!   `CREATE DATABASE … TEMPLATE` of it, or a *spare*: a database a finished
//!   test gave back, reset to the template's state (rows deleted and
//!   sequences set back, checked against a snapshot of the template's schema
//!   and of the rows its migrations wrote). A database whose schema or
//!   migration-written rows a test changed is dropped, not reused.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Nullable, Text};
use sha2::{Digest, Sha256};

use super::owner;
use crate::db::{self, DbConnection};
use crate::migrate::MigrationSet;
use crate::Error;

/// What a boot's migrations are: a template made for one key serves every
/// boot with the same key.
pub(crate) fn key(sets: &[MigrationSet], all: &[MigrationSet]) -> String {
    let mut hash = Sha256::new();
    for (label, sets) in [("run", sets), ("all", all)] {
        hash.update(label);
        for set in sets {
            hash.update([0]);
            hash.update(set.app());
            hash.update([0]);
            hash.update(set.table());
            for m in set.migrations() {
                hash.update([1]);
                hash.update(m.name);
                hash.update([0]);
                hash.update(m.up);
                hash.update([0]);
                hash.update(m.down.unwrap_or("\u{0}none"));
                hash.update([u8::from(m.run_in_transaction)]);
            }
        }
    }
    hash.finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

type Slot<T> = Arc<Mutex<Option<T>>>;

/// The slot for `key`, made empty the first time.
fn slot<T>(map: &'static Mutex<HashMap<String, Slot<T>>>, key: &str) -> Slot<T> {
    lock(map).entry(key.to_string()).or_default().clone()
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Writes a migrated SQLite database at `dest` (which must not exist yet):
/// a copy of the template for `key`, which `migrate(url)` makes the first
/// time.
pub(crate) fn sqlite_copy(
    key: &str,
    dest: &Path,
    migrate: impl FnOnce(&str) -> Result<(), Error>,
) -> Result<(), Error> {
    static TEMPLATES: OnceLock<Mutex<HashMap<String, Slot<PathBuf>>>> = OnceLock::new();
    let slot = slot(TEMPLATES.get_or_init(Mutex::default), key);
    let mut template = lock(&slot);
    if template.is_none() {
        let path = owner::sqlite_dir()?.join(format!("template-{key}.db"));
        let url = path.display().to_string();
        // Its write-ahead log folded into the file, which alone is copied.
        let made = migrate(&url).and_then(|()| {
            db::connect(&url)?
                .batch_execute("PRAGMA wal_checkpoint(TRUNCATE);")
                .map_err(|err| crate::error::database(&url, err))
        });
        if let Err(err) = made {
            remove_sqlite(&path);
            return Err(err);
        }
        *template = Some(path);
    }
    let Some(template) = template.as_ref() else {
        unreachable!("made above")
    };
    std::fs::copy(template, dest).map_err(|source| Error::Io {
        context: format!(
            "cannot copy the test kit's template {} to {}",
            template.display(),
            dest.display()
        ),
        source,
    })?;
    Ok(())
}

fn remove_sqlite(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        let _ = std::fs::remove_file(file);
    }
}

/// A migrated PostgreSQL template, and the spares made from it.
struct Template {
    name: String,
    snapshot: Snapshot,
    /// Databases finished tests gave back, reset, with their pools.
    spares: Vec<(String, Pooled)>,
}

/// The pool a test database's app used, kept with the database so that
/// the next test to get it finds its connections open (on a machine where
/// opening a PostgreSQL connection takes tens of milliseconds, that is most
/// of a test's set-up).
#[derive(Default)]
pub(crate) struct Pooled(Option<(db::DbPool, Duration)>);

impl Pooled {
    /// The pool for an app on `url` with this connection timeout: the kept
    /// one if it has that timeout, else a new one, kept from now on.
    pub(crate) fn for_app(&mut self, url: &str, timeout: Duration) -> db::DbPool {
        match &self.0 {
            Some((pool, kept)) if *kept == timeout => pool.clone(),
            _ => {
                let pool = db::pool_with(url, timeout);
                self.0 = Some((pool.clone(), timeout));
                pool
            }
        }
    }

    /// Sets the database at `url` back to the template's state through
    /// this pool; `false` when it cannot be reused: a connection still out
    /// (a task that outlived its app), another session on the database, or
    /// a schema or migration-written rows the test changed.
    fn reset(&mut self, url: &str, snapshot: &Snapshot) -> bool {
        let pool = match &self.0 {
            Some((pool, _)) => pool.clone(),
            None => self.for_app(url, Duration::from_secs(5)),
        };
        let state = pool.state();
        if state.connections != state.idle_connections {
            return false;
        }
        let mut conns = Vec::new();
        for _ in 0..state.idle_connections.max(1) {
            match pool.get() {
                Ok(conn) => conns.push(conn),
                Err(_) => return false,
            }
        }
        // Each connection as a new session would be, but for the prepared
        // statements diesel keeps (still valid: the schema is checked below).
        let sessions_reset = conns.iter_mut().all(|conn| {
            conn.batch_execute(
                "RESET ALL; DISCARD TEMP; DISCARD SEQUENCES; UNLISTEN *; \
                 SELECT pg_advisory_unlock_all(); CLOSE ALL;",
            )
            .is_ok()
        });
        let open = conns.len() as i64;
        let Some(DbConnection::Postgres(conn)) = conns.first_mut().map(|conn| &mut **conn) else {
            return false;
        };
        sessions_reset && only_sessions(conn, open).unwrap_or(false) && snapshot.reset(conn).unwrap_or(false)
    }
}

/// Whether the sessions on this connection's database are `open`, the
/// pool's own.
fn only_sessions(conn: &mut PgConnection, open: i64) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    diesel::sql_query("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database()")
        .get_result::<Count>(conn)
        .map(|row| row.n == open)
}

fn pg_templates() -> &'static Mutex<HashMap<String, Slot<Template>>> {
    static TEMPLATES: OnceLock<Mutex<HashMap<String, Slot<Template>>>> = OnceLock::new();
    TEMPLATES.get_or_init(Mutex::default)
}

fn pg_key(server: &str, key: &str) -> String {
    format!("{key} {server}")
}

/// A migrated database on `server`, its name and kept pool: a spare, or a
/// copy of the template for `key`, which `migrate(url)` makes the first time.
pub(crate) fn postgres_take(
    server: &str,
    key: &str,
    migrate: impl FnOnce(&str) -> Result<(), Error>,
) -> Result<(String, Pooled), Error> {
    let slot = slot(pg_templates(), &pg_key(server, key));
    let mut template = lock(&slot);
    if template.is_none() {
        *template = Some(make_template(server, migrate)?);
    }
    let Some(template) = template.as_mut() else {
        unreachable!("made above")
    };
    if let Some(spare) = template.spares.pop() {
        return Ok(spare);
    }
    let name = create(server, "test", Some(&template.name))?;
    Ok((name, Pooled::default()))
}

/// Takes back the database `name` that [`postgres_take`] made, with the
/// pool its test used: reset and kept as a spare when it can be, dropped
/// otherwise.
pub(crate) fn postgres_give_back(server: &str, key: &str, name: &str, mut pooled: Pooled) {
    let slot = slot(pg_templates(), &pg_key(server, key));
    let snapshot = match lock(&slot).as_ref() {
        Some(template) => template.snapshot.clone(),
        None => return drop_database(server, name),
    };
    let url = crate::database_url::with_database(server, name);
    if pooled.reset(&url, &snapshot) {
        if let Some(template) = lock(&slot).as_mut() {
            template.spares.push((name.to_string(), pooled));
            return;
        }
    }
    drop(pooled);
    drop_database(server, name);
}

/// Creates a database named `fastapp_<kind>_<token>_<n>` on `server`, a
/// copy of `template` if given, which this process drops at exit unless it
/// drops it before.
pub(crate) fn create(server: &str, kind: &str, template: Option<&str>) -> Result<String, Error> {
    let name = owner::on_server(server, |conn, token| {
        let name = format!("{}{kind}_{token}_{}", owner::PREFIX, next());
        let from = template
            .map(|template| format!(" TEMPLATE \"{template}\""))
            .unwrap_or_default();
        conn.batch_execute(&format!("CREATE DATABASE \"{name}\"{from}"))
            .map_err(|err| {
                crate::error::database(
                    server,
                    format!("cannot create test database {name}: {err} (the user needs CREATEDB)"),
                )
            })?;
        Ok(name)
    })?;
    owner::made(server, &name);
    Ok(name)
}

/// Drops `name` (its connections ended); a failure is said on stderr, and
/// the database stays listed for the exit handler to drop.
pub(crate) fn drop_database(server: &str, name: &str) {
    let dropped = owner::on_server(server, |conn, _| {
        conn.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            .map_err(|err| crate::error::database(server, err))
    });
    match dropped {
        Ok(()) => owner::forget(server, name),
        // Still this process's: the exit handler tries again.
        Err(err) => eprintln!("fastapp: could not drop test database {name}: {err}"),
    }
}

/// A number unique in this process, for database names.
pub(crate) fn next() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

fn make_template(server: &str, migrate: impl FnOnce(&str) -> Result<(), Error>) -> Result<Template, Error> {
    let name = create(server, "tpl", None)?;
    let url = crate::database_url::with_database(server, &name);
    let made = migrate(&url).and_then(|()| {
        let mut conn = PgConnection::establish(&url).map_err(|err| crate::error::database(&url, err))?;
        Snapshot::take(&mut conn).map_err(|err| crate::error::database(&url, err))
    });
    match made {
        Ok(snapshot) => Ok(Template {
            name,
            snapshot,
            spares: Vec::new(),
        }),
        Err(err) => {
            drop_database(server, &name);
            Err(err)
        }
    }
}

/// What a template holds that a test may change, and how to set it back.
#[derive(Clone, Debug)]
struct Snapshot {
    /// A digest of the schema ([`schema_digest`]).
    schema: String,
    /// Tables with rows (the migrations' own, and fastapp's history), and a
    /// digest of their rows.
    seeded: Vec<(String, String)>,
    /// Deletes the rows of every table empty in the template, children
    /// before parents; `None` when the foreign keys make a cycle (such a
    /// database is never reused).
    delete: Option<String>,
    /// Sets every sequence back.
    sequences: String,
}

const USER_SCHEMA: &str = "n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'";

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Edge {
    #[diesel(sql_type = Text)]
    child: String,
    #[diesel(sql_type = Text)]
    parent: String,
}

#[derive(QueryableByName)]
struct Flag {
    #[diesel(sql_type = Bool)]
    flag: bool,
}

#[derive(QueryableByName)]
struct Sequence {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    last_value: Option<i64>,
    #[diesel(sql_type = BigInt)]
    start_value: i64,
}

impl Snapshot {
    fn take(conn: &mut PgConnection) -> QueryResult<Snapshot> {
        let schema = schema_digest(conn)?;
        let tables: Vec<Name> = diesel::sql_query(format!(
            "SELECT c.oid::regclass::text AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind IN ('r', 'p') AND {USER_SCHEMA} ORDER BY 1"
        ))
        .load(conn)?;
        let mut seeded = Vec::new();
        let mut empty = Vec::new();
        for Name { name } in tables {
            let has_rows = diesel::sql_query(format!("SELECT EXISTS (SELECT 1 FROM {name}) AS flag"))
                .get_result::<Flag>(conn)?
                .flag;
            if has_rows {
                let digest = rows_digest(conn, &name)?;
                seeded.push((name, digest));
            } else {
                empty.push(name);
            }
        }
        let edges: Vec<Edge> = diesel::sql_query(
            "SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent \
             FROM pg_constraint WHERE contype = 'f'",
        )
        .load(conn)?;
        let edges: Vec<(String, String)> = edges.into_iter().map(|e| (e.child, e.parent)).collect();
        let delete = children_first(&empty, &edges).map(|order| {
            let mut sql = String::from("BEGIN;");
            for table in order {
                sql.push_str(&format!(" DELETE FROM {table};"));
            }
            sql.push_str(" COMMIT;");
            sql
        });
        let sequences: Vec<Sequence> = diesel::sql_query(
            "SELECT format('%I.%I', schemaname, sequencename) AS name, last_value, start_value FROM pg_sequences",
        )
        .load(conn)?;
        let sequences = sequences
            .into_iter()
            .map(|s| {
                let name = s.name.replace('\'', "''");
                match s.last_value {
                    Some(last) => format!("SELECT setval('{name}', {last}, true);"),
                    None => format!("SELECT setval('{name}', {}, false);", s.start_value),
                }
            })
            .collect();
        Ok(Snapshot {
            schema,
            seeded,
            delete,
            sequences,
        })
    }

    /// Sets a database cloned from the template back to the template's
    /// state; `false` when it cannot (its schema or seeded rows changed).
    fn reset(&self, conn: &mut PgConnection) -> QueryResult<bool> {
        let Some(delete) = &self.delete else {
            return Ok(false);
        };
        if schema_digest(conn)? != self.schema {
            return Ok(false);
        }
        for (table, digest) in &self.seeded {
            if rows_digest(conn, table)? != *digest {
                return Ok(false);
            }
        }
        conn.batch_execute(delete)?;
        if !self.sequences.is_empty() {
            conn.batch_execute(&self.sequences)?;
        }
        Ok(true)
    }
}

fn rows_digest(conn: &mut PgConnection, table: &str) -> QueryResult<String> {
    diesel::sql_query(format!(
        "SELECT md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) AS name FROM {table} x"
    ))
    .get_result::<Name>(conn)
    .map(|row| row.name)
}

/// The catalogs DDL writes to (`pg_statistic`, which `ANALYZE` rewrites,
/// is left out; `VACUUM` and `ANALYZE` update `pg_class` in place).
const CATALOGS: [&str; 14] = [
    "pg_class",
    "pg_attribute",
    "pg_attrdef",
    "pg_constraint",
    "pg_index",
    "pg_proc",
    "pg_trigger",
    "pg_type",
    "pg_enum",
    "pg_namespace",
    "pg_rewrite",
    "pg_extension",
    "pg_policy",
    "pg_sequence",
];

/// A digest of the schema: per catalog, its row count and the sum of its
/// rows' `xmin`. A clone has the template's catalog rows as they are; any
/// DDL adds, removes or rewrites rows, and a row written later has a larger
/// transaction id, so the count or the sum moves (a rewrite, or as many
/// rows added as removed, raises the sum).
fn schema_digest(conn: &mut PgConnection) -> QueryResult<String> {
    let parts: Vec<String> = CATALOGS
        .iter()
        .map(|catalog| {
            format!(
                "(SELECT count(*) || '/' || coalesce(sum(xmin::text::bigint), 0) FROM pg_catalog.{catalog})"
            )
        })
        .collect();
    let sql = format!("SELECT concat_ws(' ', {}) AS name", parts.join(", "));
    diesel::sql_query(sql)
        .get_result::<Name>(conn)
        .map(|row| row.name)
}

/// `tables` ordered so that a table comes before every table it references
/// (edges are `(child, parent)`); `None` on a cycle.
fn children_first(tables: &[String], edges: &[(String, String)]) -> Option<Vec<String>> {
    let wanted: HashSet<&str> = tables.iter().map(String::as_str).collect();
    let mut left: Vec<&str> = tables.iter().map(String::as_str).collect();
    let mut order = Vec::with_capacity(tables.len());
    while !left.is_empty() {
        // A table can go once no table still left references it.
        let referenced: HashSet<&str> = edges
            .iter()
            .filter(|(child, parent)| child != parent && wanted.contains(child.as_str()))
            .filter(|(child, _)| left.contains(&child.as_str()))
            .map(|(_, parent)| parent.as_str())
            .collect();
        let (ready, rest): (Vec<&str>, Vec<&str>) = left.iter().partition(|t| !referenced.contains(*t));
        if ready.is_empty() {
            return None;
        }
        order.extend(ready.into_iter().map(str::to_string));
        left = rest;
    }
    Some(order)
}

#[cfg(test)]
mod tests {
    use super::children_first;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn edge(child: &str, parent: &str) -> (String, String) {
        (child.to_string(), parent.to_string())
    }

    #[test]
    fn deletes_children_before_their_parents() {
        let tables = names(&["users", "posts", "comments"]);
        let edges = [
            edge("posts", "users"),
            edge("comments", "posts"),
            edge("users", "users"),
        ];
        assert_eq!(
            children_first(&tables, &edges),
            Some(names(&["comments", "posts", "users"]))
        );
    }

    #[test]
    fn a_cycle_of_foreign_keys_has_no_order() {
        let tables = names(&["a", "b"]);
        assert_eq!(children_first(&tables, &[edge("a", "b"), edge("b", "a")]), None);
    }

    #[test]
    fn the_key_follows_the_migrations() {
        use crate::migrate::{Migration, MigrationSet};
        static ONE: [Migration; 1] = [Migration {
            name: "1_a",
            version: "1",
            up: "CREATE TABLE a (id INT);",
            down: None,
            run_in_transaction: true,
        }];
        static EDITED: [Migration; 1] = [Migration {
            name: "1_a",
            version: "1",
            up: "CREATE TABLE a (id BIGINT);",
            down: None,
            run_in_transaction: true,
        }];
        let key = |m: &'static [Migration]| super::key(&[MigrationSet::core(m)], &[MigrationSet::core(m)]);
        assert_eq!(key(&ONE), key(&ONE));
        assert_ne!(key(&ONE), key(&EDITED));
        assert_ne!(key(&ONE), key(&[]));
    }
}
