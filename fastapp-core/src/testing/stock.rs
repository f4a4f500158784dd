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

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Nullable, Text};
use sha2::{Digest, Sha256};

use super::owner;
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
        let made = migrate(&path.display().to_string());
        // Closed by now: SQLite has folded its write-ahead log into the file.
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
    spares: Vec<String>,
}

fn pg_templates() -> &'static Mutex<HashMap<String, Slot<Template>>> {
    static TEMPLATES: OnceLock<Mutex<HashMap<String, Slot<Template>>>> = OnceLock::new();
    TEMPLATES.get_or_init(Mutex::default)
}

fn pg_key(server: &str, key: &str) -> String {
    format!("{key} {server}")
}

/// Makes the database `name` on `server`, migrated: a spare renamed, or a
/// copy of the template for `key`, which `migrate(url)` makes the first time.
pub(crate) fn postgres_take(
    server: &str,
    key: &str,
    name: &str,
    migrate: impl FnOnce(&str) -> Result<(), Error>,
) -> Result<(), Error> {
    let slot = slot(pg_templates(), &pg_key(server, key));
    let mut template = lock(&slot);
    if template.is_none() {
        *template = Some(make_template(server, migrate)?);
    }
    let Some(template) = template.as_mut() else {
        unreachable!("made above")
    };
    let fail = |err: &dyn std::fmt::Display| {
        crate::error::database(server, format!("cannot create test database {name}: {err}"))
    };
    if let Some(spare) = template.spares.pop() {
        let renamed = owner::on_server(server, |conn, _| {
            conn.batch_execute(&format!("ALTER DATABASE \"{spare}\" RENAME TO \"{name}\""))
                .map_err(|err| fail(&err))
        });
        owner::forget(server, &spare);
        match renamed {
            Ok(()) => {
                owner::made(server, name);
                return Ok(());
            }
            Err(_) => drop_database(server, &spare),
        }
    }
    owner::on_server(server, |conn, _| {
        conn.batch_execute(&format!(
            "CREATE DATABASE \"{name}\" TEMPLATE \"{}\"",
            template.name
        ))
        .map_err(|err| fail(&err))
    })?;
    owner::made(server, name);
    Ok(())
}

/// Takes back the database `name` that [`postgres_take`] made: reset and
/// kept as a spare when it can be, dropped otherwise.
pub(crate) fn postgres_give_back(server: &str, key: &str, name: &str) {
    let slot = slot(pg_templates(), &pg_key(server, key));
    let snapshot = match lock(&slot).as_ref() {
        Some(template) => template.snapshot.clone(),
        None => return drop_database(server, name),
    };
    let spare = owner::on_server(server, |conn, token| {
        // What a test left connected (a task that outlived its app).
        conn.batch_execute(&format!(
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity \
             WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        ))
        .map_err(|err| crate::error::database(server, err))?;
        Ok(format!("{}spare_{token}_{}", owner::PREFIX, next()))
    });
    let reset = super::database::with_database(server, name);
    let reusable = spare.is_ok()
        && PgConnection::establish(&reset)
            .ok()
            .is_some_and(|mut conn| snapshot.reset(&mut conn).unwrap_or(false));
    let renamed = match (&spare, reusable) {
        (Ok(spare), true) => owner::on_server(server, |conn, _| {
            conn.batch_execute(&format!("ALTER DATABASE \"{name}\" RENAME TO \"{spare}\""))
                .map_err(|err| crate::error::database(server, err))
        })
        .is_ok(),
        _ => false,
    };
    match (spare, renamed) {
        (Ok(spare), true) => {
            owner::forget(server, name);
            owner::made(server, &spare);
            if let Some(template) = lock(&slot).as_mut() {
                template.spares.push(spare);
            }
        }
        _ => drop_database(server, name),
    }
}

/// Drops `name` (its connections ended); a failure is said on stderr.
pub(crate) fn drop_database(server: &str, name: &str) {
    let dropped = owner::on_server(server, |conn, _| {
        conn.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            .map_err(|err| crate::error::database(server, err))
    });
    owner::forget(server, name);
    if let Err(err) = dropped {
        eprintln!("fastapp: could not drop test database {name}: {err}");
    }
}

/// A number unique in this process, for database names.
pub(crate) fn next() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

fn make_template(server: &str, migrate: impl FnOnce(&str) -> Result<(), Error>) -> Result<Template, Error> {
    let name = owner::on_server(server, |conn, token| {
        let name = format!("{}tpl_{token}_{}", owner::PREFIX, next());
        conn.batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .map_err(|err| {
                crate::error::database(
                    server,
                    format!("cannot create test database {name}: {err} (the user needs CREATEDB)"),
                )
            })?;
        Ok(name)
    })?;
    owner::made(server, &name);
    let url = super::database::with_database(server, &name);
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
    /// A digest of the schema: relations and their columns, constraints,
    /// functions, triggers, types, schemas, extensions, policies.
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

fn schema_digest(conn: &mut PgConnection) -> QueryResult<String> {
    let sql = format!(
        "SELECT md5(coalesce(string_agg(x, E'\\n' ORDER BY x), '')) AS name FROM ( \
           SELECT 'rel ' || c.oid::regclass::text || ' ' || c.relkind::text || ' ' \
             || coalesce(CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END, '') || ' ' \
             || coalesce((SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' \
                  || a.attnotnull || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), ''), ', ' ORDER BY a.attnum) \
                FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
                WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '') AS x \
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {USER_SCHEMA} \
           UNION ALL SELECT 'con ' || r.conrelid::regclass::text || ' ' || r.conname || ' ' || pg_get_constraintdef(r.oid) \
             FROM pg_constraint r JOIN pg_namespace n ON n.oid = r.connamespace WHERE {USER_SCHEMA} \
           UNION ALL SELECT 'fn ' || p.oid::regprocedure::text || ' ' || md5(p.prosrc) \
             FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE {USER_SCHEMA} \
           UNION ALL SELECT 'trg ' || t.tgrelid::regclass::text || ' ' || t.tgname || ' ' || t.tgenabled::text \
             FROM pg_trigger t WHERE NOT t.tgisinternal \
           UNION ALL SELECT 'type ' || t.oid::regtype::text || ' ' || coalesce((SELECT string_agg(e.enumlabel, ',' \
                ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid), '') \
             FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace \
             WHERE {USER_SCHEMA} AND t.typtype IN ('e', 'd', 'r', 'm') \
           UNION ALL SELECT 'ns ' || n.nspname FROM pg_namespace n WHERE {USER_SCHEMA} \
           UNION ALL SELECT 'ext ' || extname || ' ' || extversion FROM pg_extension \
           UNION ALL SELECT 'pol ' || polrelid::regclass::text || ' ' || polname FROM pg_policy \
         ) s"
    );
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
