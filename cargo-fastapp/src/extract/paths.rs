//! The paths a Rust file names, read from its tokens: in code, in macro
//! arguments and in `use` trees (groups flattened), never in comments or
//! string literals; each with where it starts and the module it is
//! resolved from.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// One path as written, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathRef {
    /// Its segments, a `use` group's prefix included (`crate`, `core`, …).
    pub segments: Vec<String>,
    /// 1-based line and column of its first token.
    pub line: usize,
    pub column: usize,
}

impl PathRef {
    /// The path from the crate root, for a path written in the module
    /// `module` (`["apps", "shop", "handlers"]`): `crate::`, `self::` and
    /// `super::` resolved; `None` for a path that starts elsewhere (a
    /// local name, another crate) or climbs above the crate.
    pub fn absolute(&self, module: &[String]) -> Option<Vec<String>> {
        let first = self.segments.first()?;
        match first.as_str() {
            "crate" => Some(self.segments[1..].to_vec()),
            "self" => Some(module.iter().chain(&self.segments[1..]).cloned().collect()),
            "super" => {
                let climbs = self.segments.iter().take_while(|s| *s == "super").count();
                let base = module.len().checked_sub(climbs)?;
                Some(
                    module[..base]
                        .iter()
                        .chain(&self.segments[climbs..])
                        .cloned()
                        .collect(),
                )
            }
            _ => None,
        }
    }

    /// The path as written, `::`-joined.
    pub fn display(&self) -> String {
        self.segments.join("::")
    }
}

/// Every path of `text` with at least two segments (`a::b`), and every
/// single segment that starts with `crate`, `self` or `super`.
pub fn paths(text: &str) -> Result<Vec<PathRef>, String> {
    let tokens: TokenStream = text
        .parse()
        .map_err(|err: proc_macro2::LexError| err.to_string())?;
    let mut out = Vec::new();
    walk(tokens, &[], &mut out);
    Ok(out)
}

fn is_path_sep(trees: &[TokenTree], at: usize) -> bool {
    matches!(
        (trees.get(at), trees.get(at + 1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
            if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':'
    )
}

fn walk(tokens: TokenStream, prefix: &[String], out: &mut Vec<PathRef>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    let mut after_mod = false;
    while i < trees.len() {
        match &trees[i] {
            TokenTree::Ident(ident) => {
                let start = ident.span().start();
                if after_mod {
                    // `mod name;` declares, it does not name a path.
                    after_mod = false;
                    i += 1;
                    continue;
                }
                after_mod = ident == "mod";
                let mut segments: Vec<String> = prefix.to_vec();
                segments.push(ident.to_string());
                let mut j = i + 1;
                let mut group = None;
                while is_path_sep(&trees, j) {
                    match trees.get(j + 2) {
                        Some(TokenTree::Ident(next)) => {
                            segments.push(next.to_string());
                            j += 3;
                        }
                        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
                            group = Some(g.stream());
                            j += 3;
                            break;
                        }
                        _ => {
                            j += 2;
                            break;
                        }
                    }
                }
                if let Some(group) = group {
                    walk(group, &segments, out);
                } else {
                    if segments.last().is_some_and(|s| s == "self") && segments.len() > 1 {
                        segments.pop();
                    }
                    let anchored = matches!(segments[0].as_str(), "crate" | "self" | "super");
                    if segments.len() > 1 || anchored {
                        out.push(PathRef {
                            segments,
                            line: start.line,
                            column: start.column + 1,
                        });
                    }
                }
                i = j.max(i + 1);
            }
            TokenTree::Group(group) => {
                walk(group.stream(), &[], out);
                after_mod = false;
                i += 1;
            }
            TokenTree::Punct(punct) => {
                // A global path (`::fastapp_core::…`) names another crate.
                if is_path_sep(&trees, i) {
                    i += 2;
                    while matches!(trees.get(i), Some(TokenTree::Ident(_))) && is_path_sep(&trees, i + 1) {
                        i += 3;
                    }
                    i += 1;
                } else {
                    let _ = punct;
                    i += 1;
                }
                after_mod = false;
            }
            TokenTree::Literal(_) => {
                after_mod = false;
                i += 1;
            }
        }
    }
}

/// The tables the `#[model(table = …)]` attributes of `text` map (the
/// last segment of each path).
pub fn model_tables(text: &str) -> Vec<String> {
    let Ok(tokens) = text.parse::<TokenStream>() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    find_models(tokens, &mut out);
    out
}

fn find_models(tokens: TokenStream, out: &mut Vec<String>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Ident(ident) if ident == "model" => {
                if let Some(TokenTree::Group(args)) = trees.get(i + 1) {
                    let args: Vec<TokenTree> = args.stream().into_iter().collect();
                    let at = args
                        .iter()
                        .position(|t| matches!(t, TokenTree::Ident(i) if i == "table"));
                    if let Some(at) = at {
                        let table = args[at + 1..]
                            .iter()
                            .skip(1)
                            .take_while(|t| !matches!(t, TokenTree::Punct(p) if p.as_char() == ','))
                            .filter_map(|t| match t {
                                TokenTree::Ident(i) => Some(i.to_string()),
                                _ => None,
                            })
                            .last();
                        out.extend(table);
                    }
                }
            }
            TokenTree::Group(group) => find_models(group.stream(), out),
            _ => {}
        }
    }
}

/// `text` with every `from` path (segments, `::`-separated, spaces allowed
/// around `::`) that starts at a word boundary replaced by `to`; comments
/// and doc comments included, so that what they say stays true. Returns
/// the new text and the lines changed.
pub fn replace_path(text: &str, from: &[&str], to: &str) -> (String, Vec<usize>) {
    let bytes = text.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut out = String::with_capacity(text.len());
    let mut lines = Vec::new();
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        let boundary = i == 0 || !word(bytes[i - 1]);
        if boundary && text[i..].starts_with(from[0]) {
            // Match the rest, segment by segment.
            let mut j = i + from[0].len();
            let mut ok = true;
            for segment in &from[1..] {
                let rest = &text[j..];
                let trimmed = rest.trim_start_matches([' ', '\t']);
                let Some(after) = trimmed.strip_prefix("::") else {
                    ok = false;
                    break;
                };
                let after_trim = after.trim_start_matches([' ', '\t']);
                if !after_trim.starts_with(segment) {
                    ok = false;
                    break;
                }
                j += rest.len() - after_trim.len() + segment.len();
            }
            if ok && (j >= bytes.len() || !word(bytes[j])) {
                out.push_str(&text[copied..i]);
                out.push_str(to);
                lines.push(text[..i].matches('\n').count() + 1);
                i = j;
                copied = j;
                continue;
            }
        }
        i += text[i..].chars().next().map_or(1, char::len_utf8);
    }
    out.push_str(&text[copied..]);
    lines.dedup();
    (out, lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> Vec<String> {
        paths(text).unwrap().iter().map(PathRef::display).collect()
    }

    #[test]
    fn paths_in_code_macros_and_use_groups_not_in_comments() {
        let text = "use crate::{core::schema::shop_items, apps::shop::{self, models::Item}};\n\
                    // crate::apps::hidden\n\
                    pub mod shop;\n\
                    fn f() { let _ = format!(\"{}\", crate::apps::blog::api::X); super::super::core::y(); ::diesel::prelude::x(); }\n";
        assert_eq!(
            shown(text),
            [
                "crate::core::schema::shop_items",
                "crate::apps::shop",
                "crate::apps::shop::models::Item",
                "crate::apps::blog::api::X",
                "super::super::core::y",
            ]
        );
        let found = paths(text).unwrap();
        assert_eq!((found[3].line, found[3].column), (4, 32));
        let module = ["apps".to_string(), "shop".to_string(), "handlers".to_string()];
        assert_eq!(found[4].absolute(&module).unwrap(), ["apps", "core", "y"]);
        assert_eq!(
            found[0].absolute(&module).unwrap(),
            ["core", "schema", "shop_items"]
        );
    }

    #[test]
    fn model_tables_and_path_replacement() {
        let text = "#[fastapp_core::model(table = crate::core::schema::shop_items)]\nstruct A;\n#[model(table = orders, check = false)]\nstruct B;";
        assert_eq!(model_tables(text), ["shop_items", "orders"]);
        let (out, lines) = replace_path(
            "use crate::core::schema::x;\nuse crate :: core::schema;\nlet crate_core = crate::core::schemas;",
            &["crate", "core", "schema"],
            "crate::schema",
        );
        assert_eq!(
            out,
            "use crate::schema::x;\nuse crate::schema;\nlet crate_core = crate::core::schemas;"
        );
        assert_eq!(lines, [1, 2]);
    }
}
