use proptest::prelude::*;

use super::*;

/// A table name as SQL may spell it: bare, quoted, or schema-qualified.
fn spelled(table: &str, quoted: bool, schema: Option<&str>) -> String {
    let name = if quoted {
        format!("\"{table}\"")
    } else {
        table.to_string()
    };
    match schema {
        Some(schema) => format!("{schema}.{name}"),
        None => name,
    }
}

/// Words SQLite or PostgreSQL reserve, which no unquoted table name can be.
const RESERVED: &[&str] = &[
    "all",
    "alter",
    "and",
    "any",
    "as",
    "asc",
    "between",
    "by",
    "case",
    "check",
    "column",
    "create",
    "default",
    "delete",
    "desc",
    "distinct",
    "do",
    "drop",
    "else",
    "end",
    "exists",
    "for",
    "foreign",
    "from",
    "group",
    "having",
    "if",
    "in",
    "index",
    "insert",
    "into",
    "is",
    "join",
    "key",
    "like",
    "limit",
    "not",
    "null",
    "of",
    "on",
    "or",
    "order",
    "primary",
    "references",
    "select",
    "set",
    "table",
    "then",
    "to",
    "union",
    "unique",
    "update",
    "using",
    "values",
    "view",
    "when",
    "where",
    "with",
];

proptest! {
    /// Every kind of change names its table, however it is spelled and
    /// whatever comments split the statement.
    #[test]
    fn every_change_is_seen(
        table in "[a-z][a-z0-9_]{0,12}",
        quoted in any::<bool>(),
        schema in prop::option::of(prop::sample::select(vec!["main", "public"])),
        comment in prop::sample::select(vec![" ", " /* x */ ", "\n-- note\n"]),
        kind in 0usize..9,
    ) {
        prop_assume!(!["table", "index", "view", "trigger", "select", "from", "set", "into", "where", "values", "on", "to"].contains(&table.as_str()));
        let t = spelled(&table, quoted, schema);
        let (sql, action) = match kind {
            0 => (format!("INSERT{comment}INTO {t} (id) VALUES (1)"), Action::Insert),
            1 => (format!("UPDATE{comment}{t} SET id = 2"), Action::Update),
            2 => (format!("DELETE FROM{comment}{t} WHERE id = 1"), Action::Delete),
            3 => (format!("CREATE INDEX i_x ON{comment}{t} (id)"), Action::Index),
            4 => (format!("CREATE TRIGGER tr AFTER INSERT ON{comment}{t} BEGIN SELECT 1; END"), Action::Trigger),
            5 => (format!("DROP TABLE{comment}{t}"), Action::Drop),
            6 => (format!("ALTER TABLE{comment}{t} ADD COLUMN c TEXT"), Action::Alter),
            7 => (format!("REPLACE INTO{comment}{t} (id) VALUES (1)"), Action::Replace),
            _ => (format!("INSERT INTO {t} (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET id = 3"), Action::Insert),
        };
        let touched = tables_touched(&sql).map_err(|e| TestCaseError::fail(format!("{sql}: {}", e.message)))?;
        prop_assert!(touched.contains(&(action, table.clone())), "{sql} → {touched:?}");
    }

    /// Reading a table changes nothing.
    #[test]
    fn reads_change_nothing(table in "[a-z][a-z0-9_]{0,12}", quoted in any::<bool>()) {
        // An unquoted reserved word is not a table name (`SELECT * FROM on`).
        prop_assume!(quoted || !RESERVED.contains(&table.as_str()));
        let t = spelled(&table, quoted, None);
        let sql = format!("SELECT * FROM {t}; CREATE VIEW v AS SELECT id FROM {t}; CREATE TABLE own (x TEXT REFERENCES {t} (id))");
        let touched = tables_touched(&sql).unwrap();
        // The view is a new object of its own, not a change to `t`.
        prop_assert_eq!(touched, vec![(Action::View, "v".to_string()), (Action::Create, "own".to_string())]);
    }
}

#[test]
fn writes_nested_in_queries_and_trigger_bodies_are_changes() {
    for (sql, table) in [
        ("WITH c AS (SELECT 1) DELETE FROM items", "items"),
        (
            "WITH d AS (DELETE FROM items RETURNING 1) SELECT * FROM d",
            "items",
        ),
        (
            "WITH u AS (UPDATE items SET x = 1 RETURNING x) INSERT INTO own SELECT x FROM u",
            "items",
        ),
        (
            "CREATE TRIGGER t AFTER INSERT ON own BEGIN DELETE FROM items; END",
            "items",
        ),
        (
            "MERGE INTO items USING own ON items.id = own.id WHEN MATCHED THEN DELETE",
            "items",
        ),
    ] {
        let touched = tables_touched(sql).unwrap_or_else(|e| panic!("{sql}: {}", e.message));
        assert!(touched.iter().any(|(_, t)| t == table), "{sql} → {touched:?}");
    }
    // Statement by statement when the whole does not parse.
    let lenient =
        tables_touched_leniently("CREATE TABLE a (id INT); DO $$ BEGIN END $$; ALTER TABLE b ADD c INT");
    assert!(
        lenient.contains(&(Action::Create, "a".to_string())),
        "{lenient:?}"
    );
}

#[test]
fn renames_and_truncates_and_copies_are_changes() {
    let touched = tables_touched(
        "ALTER TABLE users RENAME TO people; TRUNCATE TABLE posts; COPY posts FROM STDIN; COPY posts TO STDOUT",
    )
    .unwrap();
    assert_eq!(
        touched,
        [
            (Action::Alter, "users".to_string()),
            (Action::Rename, "users".to_string()),
            (Action::Create, "people".to_string()),
            (Action::Truncate, "posts".to_string()),
            (Action::Copy, "posts".to_string()),
        ]
    );
}
