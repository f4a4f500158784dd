//! The diesel CLI's generated SQL, made to run on SQLite and PostgreSQL
//! alike (the rule for shared migrations): generated against SQLite it
//! quotes names with backticks, which PostgreSQL refuses; it writes
//! `DOUBLE`, which PostgreSQL spells `DOUBLE PRECISION`; and it adds
//! `NOT NULL` columns without a default, which SQLite refuses always and
//! PostgreSQL refuses once the table has rows.

/// `sql` rewritten to run on both backends, with a note for each change a
/// person should look at (a default chosen for rows already there) and
/// for what cannot be made portable.
///
/// Only unquoted SQL is rewritten; string literals, quoted names and
/// `--` comments are kept as they are (the diesel CLI writes no `/* */`).
pub(super) fn portable(sql: &str) -> (String, Vec<String>) {
    let mut notes = Vec::new();
    let out: Vec<String> = statements(sql)
        .into_iter()
        .map(|statement| rewrite(&statement, &mut notes))
        .collect();
    (out.concat(), notes)
}

/// A piece of SQL: text outside quotes and comments (which may be
/// rewritten), or kept as written.
#[derive(Debug, PartialEq)]
enum Piece {
    Plain(String),
    Kept(String),
}

/// The SQL as pieces, each statement ending at a `;` outside quotes.
fn statements(sql: &str) -> Vec<Vec<Piece>> {
    let mut statements = Vec::new();
    let mut pieces = Vec::new();
    let mut plain = String::new();
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        let close = match c {
            '\'' => Some('\''),
            '"' => Some('"'),
            '`' => Some('`'),
            '-' if chars.peek() == Some(&'-') => Some('\n'),
            _ => None,
        };
        let Some(close) = close else {
            plain.push(c);
            if c == ';' {
                pieces.push(Piece::Plain(std::mem::take(&mut plain)));
                statements.push(std::mem::take(&mut pieces));
            }
            continue;
        };
        if !plain.is_empty() {
            pieces.push(Piece::Plain(std::mem::take(&mut plain)));
        }
        let mut kept = String::from(c);
        let mut body = String::new();
        while let Some(next) = chars.next() {
            if next == close {
                // A doubled quote is the quote itself (`a``b` names a`b).
                if close != '\n' && chars.peek() == Some(&close) {
                    chars.next();
                    body.push(next);
                    if close != '`' {
                        body.push(next);
                    }
                    continue;
                }
                if close == '`' {
                    // A backtick-quoted name, double-quoted: standard SQL.
                    kept = format!("\"{}\"", body.replace('"', "\"\""));
                } else {
                    kept.push_str(&body);
                    kept.push(next);
                }
                body.clear();
                break;
            }
            body.push(next);
        }
        // An unclosed quote or a last comment line: kept as it was.
        kept.push_str(&body);
        pieces.push(Piece::Kept(kept));
    }
    if !plain.is_empty() {
        pieces.push(Piece::Plain(plain));
    }
    if !pieces.is_empty() {
        statements.push(pieces);
    }
    statements
}

/// One statement, with its unquoted words made portable.
fn rewrite(statement: &[Piece], notes: &mut Vec<String>) -> String {
    let mut text = String::new();
    // Where the statement itself starts, after comments and blank lines.
    let mut start = None;
    for piece in statement {
        match piece {
            Piece::Kept(kept) => text.push_str(kept),
            Piece::Plain(plain) => {
                if start.is_none() && !plain.trim().is_empty() {
                    start = Some(text.len() + (plain.len() - plain.trim_start().len()));
                }
                text.push_str(&portable_words(plain, notes));
            }
        }
    }
    match (added_not_null_column(statement), start) {
        (Some(added), Some(start)) => with_default(&text, start, &added, notes),
        _ => text,
    }
}

/// `DOUBLE` (not followed by `PRECISION`) as `DOUBLE PRECISION`; a note
/// for `BINARY`, which has no name both backends know.
fn portable_words(plain: &str, notes: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(plain.len());
    let mut rest = plain;
    // Words are runs of `[A-Za-z0-9_$]`: `_double` or `x2double` is a name.
    let in_word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    while let Some(start) = rest.find(in_word) {
        out.push_str(&rest[..start]);
        let word_len = rest[start..]
            .find(|c: char| !in_word(c))
            .unwrap_or(rest.len() - start);
        let word = &rest[start..start + word_len];
        let after = &rest[start + word_len..];
        if word.eq_ignore_ascii_case("DOUBLE")
            && !after.trim_start().to_ascii_uppercase().starts_with("PRECISION")
        {
            out.push_str("DOUBLE PRECISION");
        } else {
            if word.eq_ignore_ascii_case("BINARY") {
                notes.push(
                    "a `Binary` column is BINARY, which PostgreSQL does not know (it has BYTEA, SQLite BLOB): \
                     write the column's type by hand, or keep this migration to one backend"
                        .into(),
                );
            }
            out.push_str(word);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The table, column and type of `ALTER TABLE t ADD COLUMN c TYPE … NOT NULL`
/// without a `DEFAULT`.
struct Added {
    table: String,
    column: String,
    ty: String,
}

fn added_not_null_column(statement: &[Piece]) -> Option<Added> {
    // Words and quoted names in order; comments left out.
    let mut words = Vec::new();
    for piece in statement {
        match piece {
            Piece::Plain(plain) => words.extend(
                plain
                    .split(|c: char| c.is_whitespace() || c == ';' || c == '(' || c == ')')
                    .filter(|w| !w.is_empty())
                    .map(str::to_ascii_uppercase),
            ),
            Piece::Kept(kept) if kept.len() >= 2 && (kept.starts_with('"') || kept.starts_with('`')) => {
                words.push(kept[1..kept.len() - 1].to_string());
            }
            Piece::Kept(_) => {}
        }
    }
    let upper = |i: usize| words.get(i).map(String::as_str);
    if upper(0) != Some("ALTER") || upper(1) != Some("TABLE") {
        return None;
    }
    let add = words.iter().position(|w| w == "ADD")?;
    let column_at = if upper(add + 1) == Some("COLUMN") {
        add + 2
    } else {
        add + 1
    };
    let rest = &words[column_at + 1..];
    let not_null = rest.windows(2).any(|w| w[0] == "NOT" && w[1] == "NULL");
    if !not_null || rest.iter().any(|w| w == "DEFAULT") {
        return None;
    }
    Some(Added {
        table: words[2..add].join(" "),
        column: words.get(column_at)?.clone(),
        ty: rest.first()?.clone(),
    })
}

/// The default both backends accept for a new `NOT NULL` column of `ty`
/// (SQLite takes only a constant in `ADD COLUMN`).
fn default_for(ty: &str) -> Option<&'static str> {
    // The type's name, without a length (`VARCHAR(20)`) or array marker.
    let name = ty
        .split(['(', '['])
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_uppercase();
    Some(match name.as_str() {
        "TEXT" | "VARCHAR" | "CHAR" | "CHARACTER" | "CLOB" | "CITEXT" => "''",
        "BOOL" | "BOOLEAN" => "FALSE",
        "INTEGER" | "INT" | "INT2" | "INT4" | "INT8" | "SMALLINT" | "BIGINT" | "TINYINT" | "REAL"
        | "FLOAT" | "FLOAT4" | "FLOAT8" | "DOUBLE" | "NUMERIC" | "DECIMAL" => "0",
        "TIMESTAMP" | "TIMESTAMPTZ" | "DATETIME" => "'1970-01-01 00:00:00'",
        "DATE" => "'1970-01-01'",
        "TIME" => "'00:00:00'",
        _ => return None,
    })
}

/// `text` (one `ADD COLUMN … NOT NULL` statement, starting at `start`
/// after any comments) with a `DEFAULT` before its `;` and a comment above
/// it saying why.
fn with_default(text: &str, start: usize, added: &Added, notes: &mut Vec<String>) -> String {
    let name = format!("{}.{}", added.table, added.column);
    let Some(default) = default_for(&added.ty) else {
        notes.push(format!(
            "`{name}` is a new NOT NULL column of type {} without a default: SQLite refuses that, and \
             PostgreSQL refuses it once the table has rows; give it a DEFAULT in up.sql",
            added.ty
        ));
        return text.to_string();
    };
    notes.push(format!(
        "`{name}` is a new NOT NULL column: rows already in the table get DEFAULT {default}; \
         change that default in up.sql if another value suits them"
    ));
    // The statement's own `;` ends its text (see `statements`); a last
    // statement without one ends at its last non-blank character.
    let semicolon = if text.ends_with(';') {
        text.len() - 1
    } else {
        text.trim_end().len()
    };
    format!(
        "{}-- fastapp: rows already in the table get this DEFAULT; change it if another value suits them.\n{} DEFAULT {default}{}",
        &text[..start],
        &text[start..semicolon],
        &text[semicolon..]
    )
}

#[cfg(test)]
mod tests {
    use super::portable;

    #[test]
    fn backticks_become_double_quotes_and_strings_stay() {
        let (sql, notes) =
            portable("ALTER TABLE `posts` ADD COLUMN `slug` TEXT;\nINSERT INTO `t` VALUES ('a `b`');\n");
        assert_eq!(
            sql,
            "ALTER TABLE \"posts\" ADD COLUMN \"slug\" TEXT;\nINSERT INTO \"t\" VALUES ('a `b`');\n"
        );
        assert!(notes.is_empty(), "{notes:?}");
    }

    #[test]
    fn a_new_not_null_column_gets_a_default_of_its_type_and_a_note() {
        let (sql, notes) =
            portable("-- Your SQL goes here\nALTER TABLE `comments` ADD COLUMN `post_id` TEXT NOT NULL;\n");
        assert_eq!(
            sql,
            "-- Your SQL goes here\n-- fastapp: rows already in the table get this DEFAULT; change it if another value suits them.\n\
             ALTER TABLE \"comments\" ADD COLUMN \"post_id\" TEXT NOT NULL DEFAULT '';\n"
        );
        assert!(
            notes[0].contains("`comments.post_id`") && notes[0].contains("DEFAULT ''"),
            "{notes:?}"
        );
        for (ty, default) in [
            ("BOOL", "FALSE"),
            ("INTEGER", "0"),
            ("BIGINT", "0"),
            ("DOUBLE", "0"),
            ("TIMESTAMP", "'1970-01-01 00:00:00'"),
        ] {
            let (sql, _) = portable(&format!("ALTER TABLE \"t\" ADD COLUMN \"c\" {ty} NOT NULL;"));
            assert!(sql.ends_with(&format!(" NOT NULL DEFAULT {default};")), "{sql}");
        }
    }

    #[test]
    fn defaults_given_and_nullable_columns_are_left_alone() {
        for sql in [
            "ALTER TABLE \"t\" ADD COLUMN \"c\" TEXT NOT NULL DEFAULT 'x';",
            "ALTER TABLE \"t\" ADD COLUMN \"c\" TEXT;",
            "CREATE TABLE \"t\"(\n\t\"id\" TEXT NOT NULL PRIMARY KEY\n);",
        ] {
            assert_eq!(portable(sql), (sql.to_string(), vec![]));
        }
    }

    #[test]
    fn double_is_spelled_as_postgresql_knows_it_and_binary_is_noted() {
        let (sql, notes) = portable("CREATE TABLE `m`(\n\t`x` DOUBLE NOT NULL,\n\t`y` DOUBLE PRECISION\n);");
        assert_eq!(
            sql,
            "CREATE TABLE \"m\"(\n\t\"x\" DOUBLE PRECISION NOT NULL,\n\t\"y\" DOUBLE PRECISION\n);"
        );
        assert!(notes.is_empty());
        let (_, notes) = portable("ALTER TABLE `m` ADD COLUMN `b` BINARY;");
        assert!(notes[0].contains("BYTEA"), "{notes:?}");
    }

    #[test]
    fn names_that_contain_a_type_word_are_names() {
        let sql = "ALTER TABLE \"t\" ADD COLUMN _double INTEGER; SELECT x2double, a$double FROM t;";
        assert_eq!(portable(sql).0, sql);
        // A doubled backtick is one backtick of the name.
        assert_eq!(portable("SELECT `a``b` FROM t;").0, "SELECT \"a`b\" FROM t;");
    }

    #[test]
    fn odd_input_is_kept_not_a_panic() {
        for sql in [
            "`",
            "\"",
            "-- only a comment; with a semicolon",
            "ALTER TABLE t ADD COLUMN c TEXT NOT NULL",
        ] {
            let _ = portable(sql);
        }
        // The last statement without its `;`: the default goes at its end.
        let (sql, _) = portable("-- a; b\nALTER TABLE t ADD COLUMN c TEXT NOT NULL\n");
        assert!(sql.ends_with("ADD COLUMN c TEXT NOT NULL DEFAULT ''\n"), "{sql}");
    }

    #[test]
    fn an_unknown_type_gets_a_note_not_a_guess() {
        for ty in ["UUID", "INTERVAL", "POINT"] {
            let given = format!("ALTER TABLE \"t\" ADD COLUMN \"c\" {ty} NOT NULL;");
            let (sql, notes) = portable(&given);
            assert_eq!(sql, given);
            assert!(notes[0].contains("give it a DEFAULT"), "{notes:?}");
        }
    }
}
