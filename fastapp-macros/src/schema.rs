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
}

impl Schema {
    /// The schema of the crate rooted at `crate_root`: `[print_schema] file`
    /// of its `diesel.toml`, else `src/schema.rs`.
    pub fn of_crate(crate_root: &Path) -> Result<Schema, String> {
        let relative = fastapp_config::diesel::DieselToml::read(crate_root)?
            .schema_file()
            .to_string();
        let file = crate_root.join(&relative);
        let module = module_path_of(&relative).ok_or_else(|| {
            format!(
                "the schema file `{relative}` (diesel.toml `[print_schema] file`) is not under `src/`, so no module path can be derived"
            )
        })?;
        let text = std::fs::read_to_string(&file)
            .map_err(|err| format!("cannot read the schema file {}: {err}", file.display()))?;
        let tables = crate::source::with_line_spans(|| {
            let ast = crate::source::parse_file(&text)
                .map_err(|err| format!("cannot parse the schema file {}: {err}", file.display()))?;
            let mut tables = Vec::new();
            collect_tables(&ast.items, &mut tables);
            Ok::<_, String>(tables)
        })?;
        Ok(Schema { file, module, tables })
    }

    /// `crate::a::b` for messages.
    pub fn module_display(&self) -> String {
        format!("crate::{}", self.module.join("::"))
    }
}

/// `src/core/schema.rs` → `["core", "schema"]`; `src/db/mod.rs` → `["db"]`.
fn module_path_of(relative: &str) -> Option<Vec<String>> {
    let relative = relative.replace('\\', "/");
    let rest = relative.strip_prefix("./").unwrap_or(&relative);
    let rest = rest.strip_prefix("src/")?;
    let rest = rest.strip_suffix(".rs")?;
    let mut parts: Vec<String> = rest.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    (!parts.is_empty()).then_some(parts)
}

fn collect_tables(items: &[syn::Item], tables: &mut Vec<String>) {
    for item in items {
        match item {
            syn::Item::Macro(mac) if mac.mac.path.segments.last().is_some_and(|s| s.ident == "table") => {
                if let Some(name) = table_name(mac.mac.tokens.clone()) {
                    tables.push(name);
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
