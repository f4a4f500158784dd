//! Which tables a migration's SQL changes, read with a real SQL parser
//! (`sqlparser`, SQLite's dialect, then PostgreSQL's): enough to refuse an
//! external app's migration that touches a table it does not own
//! (`migration.E043`) and to know which tables a migration creates.
//!
//! Changing a table is creating, altering, renaming, dropping, truncating,
//! indexing it, putting a trigger on it, or writing its rows (INSERT,
//! UPDATE, DELETE, MERGE, COPY … FROM, REPLACE, upserts). Reading one
//! (SELECT, a view over it, a foreign key that references it) is not.
//! Names are compared without quotes, schema (`main.`, `public.`) or case.

use sqlparser::ast::{
    AlterTableOperation, CopySource, FromTable, ObjectName, ObjectNamePart, ObjectType, Query,
    RenameTableNameKind, SetExpr, SqliteOnConflict, Statement, TableFactor, TableObject, TableWithJoins,
};
use sqlparser::dialect::{Dialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::keywords::Keyword;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, Tokenizer, Whitespace};

/// What a statement does to a table; its `Display` is the verb errors use.
///
/// ```
/// use fastapp_core::migrate::guard::{tables_touched, Action};
/// let (action, table) = tables_touched("DROP TABLE posts;").unwrap().remove(0);
/// assert_eq!((action, table.as_str()), (Action::Drop, "posts"));
/// assert_eq!(Action::Insert.to_string(), "inserts into");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    /// `CREATE TABLE` (also the new name of a renamed table).
    Create,
    /// `ALTER TABLE`.
    Alter,
    /// `ALTER TABLE … RENAME TO`, `RENAME TABLE`.
    Rename,
    /// `DROP TABLE`.
    Drop,
    /// `TRUNCATE`.
    Truncate,
    /// `CREATE INDEX … ON`.
    Index,
    /// `CREATE TRIGGER … ON`, `DROP TRIGGER … ON`.
    Trigger,
    /// `INSERT` (and `ON CONFLICT` upserts).
    Insert,
    /// `REPLACE INTO`, `INSERT OR REPLACE`.
    Replace,
    /// `UPDATE`.
    Update,
    /// `DELETE`.
    Delete,
    /// `MERGE INTO`.
    Merge,
    /// `COPY … FROM`.
    Copy,
    /// `CREATE VIEW` (a view is its creator's, as a table is).
    View,
    /// `DROP INDEX`: the name is the index's; [`indexes_created`] says
    /// whose table it indexes.
    DropIndex,
    /// `ALTER INDEX`: the name is the index's, as for [`Action::DropIndex`].
    AlterIndex,
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Action::Create => "creates",
            Action::Alter => "alters",
            Action::Rename => "renames",
            Action::Drop => "drops",
            Action::Truncate => "truncates",
            Action::Index => "indexes",
            Action::Trigger => "puts a trigger on",
            Action::Insert => "inserts into",
            Action::Replace => "replaces rows of",
            Action::Update => "updates",
            Action::Delete => "deletes from",
            Action::Merge => "merges into",
            Action::Copy => "copies into",
            Action::View => "creates view",
            Action::DropIndex => "drops index",
            Action::AlterIndex => "alters index",
        })
    }
}

/// SQL that neither dialect parses, with the parser's word on where.
///
/// ```
/// let unparsed = fastapp_core::migrate::guard::tables_touched("CREATE TABLE (").unwrap_err();
/// assert!(unparsed.message.contains("Line: 1"), "{}", unparsed.message);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unparsed {
    /// The parser's message (with line and column).
    pub message: String,
}

/// The line a migration's SQL may carry when the parser cannot read it:
/// its readable statements are still checked, the rest is let through.
/// Visible in review.
///
/// ```
/// use fastapp_core::migrate::guard::{opted_out, UNCHECKED};
/// assert!(opted_out(&format!("{UNCHECKED}\nDO $$ BEGIN END $$;")));
/// ```
pub const UNCHECKED: &str = "-- fastapp: unchecked";

/// Whether `sql` accepts being partly unchecked with an [`UNCHECKED`] line.
///
/// ```
/// use fastapp_core::migrate::guard::opted_out;
/// assert!(opted_out("-- fastapp: unchecked\nDO $$ BEGIN END $$;"));
/// assert!(!opted_out("CREATE TABLE a (id INT);"));
/// ```
pub fn opted_out(sql: &str) -> bool {
    sql.lines().any(|line| line.trim() == UNCHECKED)
}

/// The tables `sql` changes, statement by statement, with what it does to
/// each; an error when neither SQLite's nor PostgreSQL's dialect parses it.
///
/// ```
/// use fastapp_core::migrate::guard::{tables_touched, Action};
/// let sql = r#"
///     CREATE TABLE subscribers (id TEXT PRIMARY KEY, user_id TEXT REFERENCES users (id));
///     ALTER TABLE "Subscribers" ADD COLUMN topic TEXT;
///     INSERT INTO main.users (id) SELECT id FROM subscribers;
///     UPDATE public.users SET name = 'x'; -- a comment
///     DELETE /* split */ FROM users;
///     CREATE TRIGGER t AFTER INSERT ON users BEGIN SELECT 1; END;
///     CREATE VIEW v AS SELECT * FROM users;
/// "#;
/// assert_eq!(
///     tables_touched(sql).unwrap(),
///     [
///         (Action::Create, "subscribers".to_string()),
///         (Action::Alter, "subscribers".to_string()),
///         (Action::Insert, "users".to_string()),
///         (Action::Update, "users".to_string()),
///         (Action::Delete, "users".to_string()),
///         (Action::Trigger, "users".to_string()),
///         (Action::View, "v".to_string()),
///     ]
/// );
/// assert!(tables_touched("CREATE TABLE (").is_err());
/// ```
pub fn tables_touched(sql: &str) -> Result<Vec<(Action, String)>, Unparsed> {
    let statements = parse(sql)?;
    let mut out = Vec::new();
    for statement in &statements {
        changes(statement, &mut out);
    }
    Ok(out)
}

/// `sql`'s statements, read with SQLite's dialect, then PostgreSQL's;
/// refused when the two read its comments differently, whichever parses.
fn parse(sql: &str) -> Result<Vec<Statement>, Unparsed> {
    if let Some(message) = comments_disagree(sql) {
        return Err(Unparsed { message });
    }
    Parser::parse_sql(&SQLiteDialect {}, sql)
        .or_else(|sqlite| Parser::parse_sql(&PostgreSqlDialect {}, sql).map_err(|_| sqlite))
        .map_err(|err| Unparsed {
            message: err.to_string(),
        })
}

/// Where SQLite and PostgreSQL would read different statements because
/// they read comments differently: PostgreSQL nests `/* /* */ */`, SQLite
/// ends a comment at the first `*/`. A statement one of them hides in a
/// comment the other runs, so neither reading can be trusted.
///
/// ```
/// use fastapp_core::migrate::guard::tables_touched;
/// // SQLite runs the DROP; PostgreSQL's reading hides it in one comment.
/// let err = tables_touched("/* /* */ DROP TABLE users; /* */ */ CREATE TABLE notes (id INT);").unwrap_err();
/// assert!(err.message.contains("read its comments differently"), "{}", err.message);
/// // PostgreSQL runs the DROP; SQLite's reading hides it after `--`.
/// assert!(tables_touched("/* /* */ -- */ DROP TABLE users;\nCREATE TABLE notes (id INT);").is_err());
/// assert!(tables_touched("/* a comment */ CREATE TABLE notes (id INT); -- done").is_ok());
/// ```
fn comments_disagree(sql: &str) -> Option<String> {
    let comments = |dialect: &dyn Dialect| -> Option<Vec<Token>> {
        let tokens = Tokenizer::new(dialect, sql).tokenize().ok()?;
        Some(
            tokens
                .into_iter()
                .filter(|token| {
                    matches!(
                        token,
                        Token::Whitespace(
                            Whitespace::SingleLineComment { .. } | Whitespace::MultiLineComment(_)
                        )
                    )
                })
                .collect(),
        )
    };
    let (sqlite, postgres) = (comments(&SQLiteDialect {}), comments(&PostgreSqlDialect {}));
    let differ = match (sqlite, postgres) {
        (Some(sqlite), Some(postgres)) => sqlite != postgres,
        // One of them cannot even read it: a comment left open under one
        // reading only (`/* /* */`).
        (Some(_), None) | (None, Some(_)) => sql.contains("/*"),
        (None, None) => false,
    };
    differ.then(|| {
        "SQLite and PostgreSQL read its comments differently (a `/*` inside a `/* … */` comment: \
         PostgreSQL nests it, SQLite does not), so a statement one of them runs would be hidden from the check"
            .to_string()
    })
}

/// How many statements `sql` holds: as the parser reads them, or, where
/// it cannot, the non-empty pieces between `;`s outside comments.
///
/// ```
/// use fastapp_core::migrate::guard::statement_count;
/// assert_eq!(statement_count("CREATE INDEX CONCURRENTLY i ON t (c); -- done"), 1);
/// assert_eq!(statement_count("CREATE TABLE a (id INT);\nCREATE TABLE b (id INT);"), 2);
/// assert_eq!(statement_count("-- nothing"), 0);
/// ```
pub fn statement_count(sql: &str) -> usize {
    let parsed =
        Parser::parse_sql(&PostgreSqlDialect {}, sql).or_else(|_| Parser::parse_sql(&SQLiteDialect {}, sql));
    match parsed {
        Ok(statements) => statements.len(),
        Err(_) => sql
            .lines()
            .map(|line| line.split("--").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n")
            .split(';')
            .filter(|piece| !piece.trim().is_empty())
            .count(),
    }
}

/// [`tables_touched`], piece by piece where the whole does not parse (a
/// PostgreSQL `DO` block, say): what its readable statements change. The
/// SQL is split at the `;`s its tokens hold (never one inside a string, a
/// comment or a quoted name), under SQLite's reading and PostgreSQL's; a
/// piece that does not parse is still searched for a statement that does,
/// from each keyword that starts one (a trigger's body, a `DO` block's
/// statements where SQLite reads them), and a trigger it creates names
/// its table.
///
/// ```
/// use fastapp_core::migrate::guard::{tables_touched, tables_touched_leniently, Action};
/// let sql = "CREATE TABLE notes (id INT); DO $$ BEGIN PERFORM 1; END $$;";
/// assert!(tables_touched(sql).is_err());
/// assert_eq!(tables_touched_leniently(sql), [(Action::Create, "notes".to_string())]);
/// // A `;` in a string does not end a statement, nor hide the next.
/// let sql = "INSERT INTO notes (t) VALUES ('a;'); UPDATE users SET t = 'b;'; DO $$ BEGIN END $$;";
/// assert!(tables_touched_leniently(sql).contains(&(Action::Update, "users".to_string())));
/// // Nor does a trigger body's; the body's writes count.
/// let sql = "CREATE TRIGGER t AFTER INSERT ON notes BEGIN UPDATE users SET n = n + 1; SELECT x FROM y WHERE; END;";
/// let touched = tables_touched_leniently(sql);
/// assert!(touched.contains(&(Action::Trigger, "notes".to_string())), "{touched:?}");
/// assert!(touched.contains(&(Action::Update, "users".to_string())), "{touched:?}");
/// ```
pub fn tables_touched_leniently(sql: &str) -> Vec<(Action, String)> {
    tables_and_indexes(sql).0
}

/// The indexes `sql` creates, each with the table it indexes
/// (`CREATE INDEX i ON t`), readable statements only.
///
/// ```
/// use fastapp_core::migrate::guard::indexes_created;
/// let sql = "CREATE TABLE t (a INT); CREATE UNIQUE INDEX IF NOT EXISTS \"T_A\" ON main.t (a);";
/// assert_eq!(indexes_created(sql), [("t_a".to_string(), "t".to_string())]);
/// ```
pub fn indexes_created(sql: &str) -> Vec<(String, String)> {
    tables_and_indexes(sql).1
}

/// What [`tables_and_indexes`] gives: `(action, table)` changes and
/// `(index, table)` indexes.
pub type TablesAndIndexes = (Vec<(Action, String)>, Vec<(String, String)>);

/// [`tables_touched_leniently`] and [`indexes_created`] from one reading of
/// `sql`: who owns what needs both of every migration.
///
/// ```
/// use fastapp_core::migrate::guard::{tables_and_indexes, Action};
/// let (tables, indexes) = tables_and_indexes("CREATE TABLE t (a INT); CREATE INDEX i ON t (a);");
/// assert_eq!(tables, [(Action::Create, "t".to_string()), (Action::Index, "t".to_string())]);
/// assert_eq!(indexes, [("i".to_string(), "t".to_string())]);
/// ```
pub fn tables_and_indexes(sql: &str) -> TablesAndIndexes {
    let (statements, triggers) = match parse(sql) {
        Ok(statements) => (statements, Vec::new()),
        Err(_) => readable(sql),
    };
    let mut touched = Vec::new();
    statements
        .iter()
        .for_each(|statement| changes(statement, &mut touched));
    touched.extend(triggers);
    let mut seen = std::collections::BTreeSet::new();
    touched.retain(|change| seen.insert(change.clone()));
    let indexes = statements
        .iter()
        .filter_map(|statement| match statement {
            Statement::CreateIndex(index) => {
                Some((table_name(index.name.as_ref()?)?, table_name(&index.table_name)?))
            }
            _ => None,
        })
        .collect();
    (touched, indexes)
}

/// Keywords a statement that changes something starts with.
const STARTS: &[Keyword] = &[
    Keyword::INSERT,
    Keyword::UPDATE,
    Keyword::DELETE,
    Keyword::REPLACE,
    Keyword::MERGE,
    Keyword::COPY,
    Keyword::CREATE,
    Keyword::ALTER,
    Keyword::DROP,
    Keyword::TRUNCATE,
    Keyword::WITH,
];

/// What can be read of SQL that does not parse as a whole (see
/// [`tables_touched_leniently`]): the statements found, and the tables of
/// triggers created by pieces that do not parse.
fn readable(sql: &str) -> (Vec<Statement>, Vec<(Action, String)>) {
    let dialects: [&dyn Dialect; 2] = [&SQLiteDialect {}, &PostgreSqlDialect {}];
    let parse_tokens = |tokens: &[Token]| {
        dialects.iter().find_map(|dialect| {
            Parser::new(*dialect)
                .with_tokens(tokens.to_vec())
                .parse_statements()
                .ok()
        })
    };
    let mut statements = Vec::new();
    let mut triggers = Vec::new();
    for dialect in dialects {
        let Ok(tokens) = Tokenizer::new(dialect, sql).tokenize() else {
            continue;
        };
        let tokens: Vec<Token> = tokens
            .into_iter()
            .filter(|token| !matches!(token, Token::Whitespace(_)))
            .collect();
        for piece in tokens.split(|token| *token == Token::SemiColon) {
            if piece.is_empty() {
                continue;
            }
            if let Some(parsed) = parse_tokens(piece) {
                statements.extend(parsed);
                continue;
            }
            triggers.extend(trigger_table(piece));
            for start in 1..piece.len() {
                if !matches!(&piece[start], Token::Word(word) if STARTS.contains(&word.keyword)) {
                    continue;
                }
                if let Some(parsed) = parse_tokens(&piece[start..]) {
                    statements.extend(parsed);
                    break;
                }
            }
        }
    }
    (statements, triggers)
}

/// The table of `CREATE [TEMP] TRIGGER … ON <table>` in tokens that do not
/// parse (whitespace left out): the first `ON` after `TRIGGER`.
fn trigger_table(piece: &[Token]) -> Option<(Action, String)> {
    let keyword = |token: &Token, want: Keyword| matches!(token, Token::Word(word) if word.keyword == want);
    if !keyword(piece.first()?, Keyword::CREATE) {
        return None;
    }
    let trigger = piece.iter().position(|token| keyword(token, Keyword::TRIGGER))?;
    let on = trigger
        + piece[trigger..]
            .iter()
            .position(|token| keyword(token, Keyword::ON))?;
    // `schema.table`: the last word of the dotted name.
    let mut name = None;
    let mut at = on + 1;
    while let Some(Token::Word(word)) = piece.get(at) {
        name = Some(word.value.to_lowercase());
        if piece.get(at + 1) != Some(&Token::Period) {
            break;
        }
        at += 2;
    }
    Some((Action::Trigger, name?))
}

fn push(out: &mut Vec<(Action, String)>, action: Action, name: &ObjectName) {
    if let Some(table) = table_name(name) {
        out.push((action, table));
    }
}

/// What one statement changes, including writes nested in queries (CTEs,
/// `INSERT … SELECT`) and in trigger bodies.
fn changes(statement: &Statement, out: &mut Vec<(Action, String)>) {
    match statement {
        Statement::CreateTable(create) => push(out, Action::Create, &create.name),
        Statement::AlterTable(alter) => {
            push(out, Action::Alter, &alter.name);
            for operation in &alter.operations {
                if let AlterTableOperation::RenameTable { table_name } = operation {
                    let (RenameTableNameKind::As(new) | RenameTableNameKind::To(new)) = table_name;
                    push(out, Action::Rename, &alter.name);
                    push(out, Action::Create, new);
                }
            }
        }
        Statement::RenameTable(renames) => {
            for rename in renames {
                push(out, Action::Rename, &rename.old_name);
                push(out, Action::Create, &rename.new_name);
            }
        }
        Statement::Drop {
            object_type: ObjectType::Table | ObjectType::View | ObjectType::MaterializedView,
            names,
            ..
        } => names.iter().for_each(|name| push(out, Action::Drop, name)),
        Statement::Drop {
            object_type: ObjectType::Index,
            names,
            ..
        } => names.iter().for_each(|name| push(out, Action::DropIndex, name)),
        Statement::AlterIndex { name, .. } => push(out, Action::AlterIndex, name),
        Statement::CreateView(view) => push(out, Action::View, &view.name),
        Statement::Truncate(truncate) => truncate
            .table_names
            .iter()
            .for_each(|target| push(out, Action::Truncate, &target.name)),
        Statement::CreateIndex(index) => push(out, Action::Index, &index.table_name),
        Statement::CreateTrigger(trigger) => {
            push(out, Action::Trigger, &trigger.table_name);
            // What the trigger does when it fires is a change too.
            if let Some(body) = &trigger.statements {
                body.statements()
                    .iter()
                    .for_each(|statement| changes(statement, out));
            }
        }
        Statement::DropTrigger(trigger) => {
            if let Some(table) = &trigger.table_name {
                push(out, Action::Trigger, table);
            }
        }
        Statement::Insert(insert) => insert_changes(insert, out),
        Statement::Update(update) => relation(out, &update.table, Action::Update),
        Statement::Delete(delete) => delete_changes(delete, out),
        Statement::Merge(merge) => {
            if let TableFactor::Table { name, .. } = &merge.table {
                push(out, Action::Merge, name);
            }
        }
        Statement::Copy {
            source: CopySource::Table { table_name, .. },
            to: false,
            ..
        } => push(out, Action::Copy, table_name),
        Statement::Query(query) => query_changes(query, out),
        _ => {}
    }
}

/// An `INSERT` (or `REPLACE`, `INSERT OR REPLACE`) into its table, and the
/// writes in its source query.
fn insert_changes(insert: &sqlparser::ast::Insert, out: &mut Vec<(Action, String)>) {
    if let TableObject::TableName(name) = &insert.table {
        let replace = insert.replace_into || matches!(insert.or, Some(SqliteOnConflict::Replace));
        push(out, if replace { Action::Replace } else { Action::Insert }, name);
    }
    if let Some(source) = &insert.source {
        query_changes(source, out);
    }
}

/// A `DELETE` from each table it names, in any of its shapes.
fn delete_changes(delete: &sqlparser::ast::Delete, out: &mut Vec<(Action, String)>) {
    delete
        .tables
        .iter()
        .for_each(|name| push(out, Action::Delete, name));
    let (FromTable::WithFromKeyword(from) | FromTable::WithoutKeyword(from)) = &delete.from;
    from.iter().for_each(|table| relation(out, table, Action::Delete));
}

/// Writes inside a query: in its CTEs (`WITH d AS (DELETE …)`) or as its
/// body (`WITH c AS (…) DELETE FROM …`).
fn query_changes(query: &Query, out: &mut Vec<(Action, String)>) {
    if let Some(with) = &query.with {
        with.cte_tables
            .iter()
            .for_each(|cte| query_changes(&cte.query, out));
    }
    set_expr_changes(&query.body, out);
}

fn set_expr_changes(expr: &SetExpr, out: &mut Vec<(Action, String)>) {
    match expr {
        SetExpr::Query(query) => query_changes(query, out),
        SetExpr::SetOperation { left, right, .. } => {
            set_expr_changes(left, out);
            set_expr_changes(right, out);
        }
        SetExpr::Insert(statement)
        | SetExpr::Update(statement)
        | SetExpr::Delete(statement)
        | SetExpr::Merge(statement) => changes(statement, out),
        _ => {}
    }
}

/// The table a write names (not the tables it joins to read).
fn relation(out: &mut Vec<(Action, String)>, table: &TableWithJoins, action: Action) {
    if let TableFactor::Table { name, .. } = &table.relation {
        push(out, action, name);
    }
}

/// `main."Users"` → `users`: the last part, unquoted, lower-cased.
fn table_name(name: &ObjectName) -> Option<String> {
    match name.0.last()? {
        ObjectNamePart::Identifier(ident) => Some(ident.value.to_lowercase()),
        ObjectNamePart::Function(_) => None,
    }
}

#[cfg(test)]
mod tests;
