//! Which tables a migration's SQL creates, alters or drops: enough to refuse
//! an external app's migration that touches a table it does not own.

/// What a statement does to a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// `CREATE TABLE`.
    Create,
    /// `ALTER TABLE`, `CREATE INDEX … ON`.
    Alter,
    /// `DROP TABLE`.
    Drop,
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Action::Create => "creates",
            Action::Alter => "alters",
            Action::Drop => "drops",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// A keyword or unquoted identifier, lower-cased.
    Word(String),
    /// A quoted identifier, as written.
    Quoted(String),
    Punct(char),
}

/// Splits SQL into words, quoted identifiers and punctuation, dropping
/// comments and string literals.
fn tokenize(sql: &str) -> Vec<Token> {
    let chars: Vec<char> = sql.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                i += 1;
            }
            i += 2;
        } else if c == '\'' {
            i += 1;
            while i < chars.len() {
                if chars[i] == '\'' {
                    if chars.get(i + 1) == Some(&'\'') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            i += 1;
        } else if c == '"' || c == '`' || c == '[' {
            let close = if c == '[' { ']' } else { c };
            let start = i + 1;
            i += 1;
            while i < chars.len() && chars[i] != close {
                i += 1;
            }
            tokens.push(Token::Quoted(chars[start..i.min(chars.len())].iter().collect()));
            i += 1;
        } else if c.is_alphanumeric() || c == '_' || c == '$' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$') {
                i += 1;
            }
            tokens.push(Token::Word(
                chars[start..i].iter().collect::<String>().to_lowercase(),
            ));
        } else {
            if !c.is_whitespace() {
                tokens.push(Token::Punct(c));
            }
            i += 1;
        }
    }
    tokens
}

/// Every table the SQL creates, alters or drops, in order.
///
/// ```
/// use fastapp_core::migrate::guard::{tables_touched, Action};
/// let sql = "CREATE TABLE IF NOT EXISTS subscribers (id INTEGER);\n\
///            -- ALTER TABLE users ADD x INT; (a comment)\n\
///            ALTER TABLE \"Users\" ADD COLUMN y TEXT DEFAULT 'DROP TABLE posts';\n\
///            CREATE UNIQUE INDEX s_email ON public.subscribers (email);\n\
///            DROP TABLE IF EXISTS a, b;";
/// assert_eq!(
///     tables_touched(sql),
///     vec![
///         (Action::Create, "subscribers".to_string()),
///         (Action::Alter, "Users".to_string()),
///         (Action::Alter, "subscribers".to_string()),
///         (Action::Drop, "a".to_string()),
///         (Action::Drop, "b".to_string()),
///     ]
/// );
/// ```
pub fn tables_touched(sql: &str) -> Vec<(Action, String)> {
    let tokens = tokenize(sql);
    let word = |i: usize| match tokens.get(i) {
        Some(Token::Word(w)) => Some(w.as_str()),
        _ => None,
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        // Only look at statement starts.
        let at_start = i == 0 || tokens[i - 1] == Token::Punct(';');
        if !at_start {
            i += 1;
            continue;
        }
        let mut j = i;
        match word(j) {
            Some("create") => {
                j += 1;
                while matches!(
                    word(j),
                    Some("temp" | "temporary" | "unlogged" | "or" | "replace")
                ) {
                    j += 1;
                }
                match word(j) {
                    Some("table") => {
                        j += 1;
                        j = skip_words(&tokens, j, &["if", "not", "exists"]);
                        if let Some((name, _)) = name_at(&tokens, j) {
                            out.push((Action::Create, name));
                        }
                    }
                    Some("unique" | "index") => {
                        // CREATE [UNIQUE] INDEX ... ON <table>
                        while j < tokens.len() && word(j) != Some("on") && tokens[j] != Token::Punct(';') {
                            j += 1;
                        }
                        if word(j) == Some("on") {
                            j = skip_words(&tokens, j + 1, &["only"]);
                            if let Some((name, _)) = name_at(&tokens, j) {
                                out.push((Action::Alter, name));
                            }
                        }
                    }
                    _ => {}
                }
            }
            Some("alter") if word(j + 1) == Some("table") => {
                j = skip_words(&tokens, j + 2, &["if", "exists", "only"]);
                if let Some((name, _)) = name_at(&tokens, j) {
                    out.push((Action::Alter, name));
                }
            }
            Some("drop") if word(j + 1) == Some("table") => {
                j = skip_words(&tokens, j + 2, &["if", "exists"]);
                while let Some((name, next)) = name_at(&tokens, j) {
                    out.push((Action::Drop, name));
                    if tokens.get(next) == Some(&Token::Punct(',')) {
                        j = next + 1;
                    } else {
                        break;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

fn skip_words(tokens: &[Token], mut j: usize, words: &[&str]) -> usize {
    while let Some(Token::Word(w)) = tokens.get(j) {
        if words.contains(&w.as_str()) {
            j += 1;
        } else {
            break;
        }
    }
    j
}

/// A possibly schema-qualified table name at `j`: its last part, and the
/// index after it.
fn name_at(tokens: &[Token], mut j: usize) -> Option<(String, usize)> {
    loop {
        let name = match tokens.get(j) {
            Some(Token::Word(w)) => w.clone(),
            Some(Token::Quoted(q)) => q.clone(),
            _ => return None,
        };
        j += 1;
        if tokens.get(j) == Some(&Token::Punct('.')) {
            j += 1;
            continue;
        }
        return Some((name, j));
    }
}
