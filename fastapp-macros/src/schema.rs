//! The schema module a crate's models must use: where it is (from
//! `diesel.toml`, the file the diesel CLI writes) and which tables it declares.

use std::path::{Path, PathBuf};

use proc_macro2::TokenTree;

/// A crate's schema module.
pub struct Schema {
    /// Absolute path of the schema file.
    pub file: PathBuf,
    /// Module path from the crate root, e.g. `["core", "schema"]`.
    pub module: Vec<String>,
    /// Tables declared with `table!`, in file order.
    pub tables: Vec<String>,
    /// Each table's columns with their SQL type as written (`Nullable<Text>`),
    /// in the order of `tables`.
    pub columns: Vec<Vec<(String, String)>>,
}

impl Schema {
    /// The schema of the crate rooted at `crate_root`: `[print_schema] file`
    /// of its `diesel.toml`, else `src/schema.rs`.
    pub fn of_crate(crate_root: &Path) -> Result<Schema, String> {
        let relative = fastapp_config::diesel::DieselToml::read(crate_root)?
            .schema_file()
            .to_string();
        let file = crate_root.join(&relative);
        let module = module_path_of(&relative)?;
        let text = std::fs::read_to_string(&file)
            .map_err(|err| format!("cannot read the schema file {}: {err}", file.display()))?;
        let tables = crate::source::with_line_spans(|| {
            let ast = crate::source::parse_file(&text)
                .map_err(|err| format!("cannot parse the schema file {}: {err}", file.display()))?;
            let mut tables = Vec::new();
            collect_tables(&ast.items, &mut tables);
            Ok::<_, String>(tables)
        })?;
        let (tables, columns) = tables.into_iter().unzip();
        Ok(Schema {
            file,
            module,
            tables,
            columns,
        })
    }

    /// The columns of `table`, if the schema declares it.
    pub fn columns_of(&self, table: &str) -> Option<&[(String, String)]> {
        let at = self.tables.iter().position(|t| t == table)?;
        Some(&self.columns[at])
    }

    /// The schema module's path alone (no file read), if diesel.toml names
    /// one at a module path.
    pub fn module_of_crate(crate_root: &Path) -> Option<Vec<String>> {
        let diesel = fastapp_config::diesel::DieselToml::read(crate_root).ok()?;
        module_path_of(diesel.schema_file()).ok()
    }

    /// `crate::a::b` for messages.
    pub fn module_display(&self) -> String {
        format!("crate::{}", self.module.join("::"))
    }
}

/// `src/core/schema.rs` → `["core", "schema"]`; `src/db/mod.rs` → `["db"]`;
/// an error for a file outside `src/` or at no module path (a segment
/// that is not an identifier: `schema-gen.rs`, `src//schema.rs`, `..`).
fn module_path_of(relative: &str) -> Result<Vec<String>, String> {
    let normalised = relative.replace('\\', "/");
    let rest = normalised.strip_prefix("./").unwrap_or(&normalised);
    let parts = rest
        .strip_prefix("src/")
        .and_then(|rest| rest.strip_suffix(".rs"))
        .map(|rest| rest.split('/').map(str::to_string).collect::<Vec<_>>());
    let Some(mut parts) = parts else {
        return Err(format!(
            "the schema file `{relative}` (diesel.toml `[print_schema] file`) is not a `.rs` file under `src/`, so no module path can be derived"
        ));
    };
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    if parts.is_empty() {
        return Err(format!("the schema file `{relative}` (diesel.toml `[print_schema] file`) is the crate root, not a module"));
    }
    if let Some(bad) = parts.iter().find(|p| syn::parse_str::<syn::Ident>(p).is_err()) {
        return Err(format!(
            "the schema file `{relative}` (diesel.toml `[print_schema] file`) is at no module path: `{bad}` is not a Rust identifier"
        ));
    }
    Ok(parts)
}

fn collect_tables(items: &[syn::Item], tables: &mut Vec<(String, Vec<(String, String)>)>) {
    for item in items {
        match item {
            syn::Item::Macro(mac) if mac.mac.path.segments.last().is_some_and(|s| s.ident == "table") => {
                if let Some(name) = table_name(mac.mac.tokens.clone()) {
                    tables.push((name, table_columns(mac.mac.tokens.clone())));
                }
            }
            syn::Item::Mod(module) => {
                if let Some((_, items)) = &module.content {
                    collect_tables(items, tables);
                }
            }
            _ => {}
        }
    }
}

/// The Rust name of a `table!` body: `#[attrs] [schema.]name (pk) { … }`.
fn table_name(tokens: proc_macro2::TokenStream) -> Option<String> {
    let mut name = None;
    let mut iter = tokens.into_iter().peekable();
    while let Some(token) = iter.next() {
        match token {
            TokenTree::Punct(p) if p.as_char() == '#' => {
                iter.next(); // the attribute's [...] group
            }
            TokenTree::Ident(ident) => name = Some(ident.to_string()),
            TokenTree::Punct(p) if p.as_char() == '.' => {}
            TokenTree::Group(_) => break,
            _ => {}
        }
    }
    name
}

/// The columns of a `table!` body, `name -> Type,` in its braces (column
/// attributes skipped), each with its type's tokens as text without spaces.
fn table_columns(tokens: proc_macro2::TokenStream) -> Vec<(String, String)> {
    let Some(body) = tokens.into_iter().find_map(|t| match t {
        TokenTree::Group(g) if g.delimiter() == proc_macro2::Delimiter::Brace => Some(g.stream()),
        _ => None,
    }) else {
        return Vec::new();
    };
    let mut columns = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    let mut push = |current: &mut Vec<TokenTree>| {
        let mut iter = current
            .drain(..)
            .skip_while(|t| !matches!(t, TokenTree::Ident(_)));
        let Some(TokenTree::Ident(name)) = iter.next() else {
            return;
        };
        // `->`, then the type.
        let ty: String = iter.skip(2).map(|t| t.to_string()).collect();
        columns.push((name.to_string(), ty.replace(' ', "")));
    };
    let mut iter = body.into_iter().peekable();
    while let Some(token) = iter.next() {
        match token {
            TokenTree::Punct(p) if p.as_char() == '#' && current.is_empty() => {
                iter.next(); // a column attribute's [...] group
            }
            TokenTree::Punct(p) if p.as_char() == ',' => push(&mut current),
            other => current.push(other),
        }
    }
    push(&mut current);
    columns
}

#[cfg(test)]
mod tests {
    use super::module_path_of;

    #[test]
    fn a_table_body_gives_its_columns_and_types() {
        let tokens: proc_macro2::TokenStream =
            "posts (id) { id -> Text, #[sql_name = \"t\"] title -> Nullable<Text>, n -> Integer }"
                .parse()
                .unwrap();
        assert_eq!(
            super::table_columns(tokens),
            [
                ("id".to_string(), "Text".to_string()),
                ("title".to_string(), "Nullable<Text>".to_string()),
                ("n".to_string(), "Integer".to_string()),
            ]
        );
    }

    #[test]
    fn a_schema_file_gives_its_module_path() {
        assert_eq!(module_path_of("src/schema.rs").unwrap(), ["schema"]);
        assert_eq!(
            module_path_of("./src/core/schema.rs").unwrap(),
            ["core", "schema"]
        );
        assert_eq!(module_path_of("src/db/mod.rs").unwrap(), ["db"]);
    }

    #[test]
    fn a_schema_file_at_no_module_path_is_an_error_not_a_panic() {
        for (file, says) in [
            ("src/db/schema-gen.rs", "`schema-gen` is not a Rust identifier"),
            ("src//schema.rs", "`` is not a Rust identifier"),
            ("src/a/../schema.rs", "`..` is not a Rust identifier"),
            ("src/type.rs", "`type` is not a Rust identifier"),
            ("schema.rs", "is not a `.rs` file under `src/`"),
            ("src/mod.rs", "is the crate root"),
        ] {
            let err = module_path_of(file).unwrap_err();
            assert!(err.contains(says), "{file}: {err}");
        }
    }
}
