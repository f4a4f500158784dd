//! Edits of the user's files that keep their formatting and comments:
//! TOML through `toml_edit`; Rust by inserting one line and checking that
//! the result still parses and says what was meant.

use std::path::Path;

use fastapp_config::Finding;
use toml_edit::{Array, DocumentMut, InlineTable, Item, Value};

use crate::Result;

/// `scaffold.E066`: a file of the project does not have the shape an edit needs.
fn unexpected(path: &Path, what: String, fix: &str) -> Finding {
    Finding::new(
        "scaffold.E066",
        format!("{}: {what}", path.display()),
        fix.to_string(),
    )
    .location(path.display().to_string())
}

/// Appends `entry` to `apps` in fastapp.toml (creating the array if absent).
pub fn append_app(config: &mut DocumentMut, entry: &str) {
    match config.get_mut("apps").and_then(Item::as_array_mut) {
        Some(apps) => apps.push(entry),
        None => {
            let mut apps = Array::new();
            apps.push(entry);
            config.insert("apps", Item::Value(Value::Array(apps)));
        }
    }
}

/// Declares `[app.<name>] uses = []` in fastapp.toml: a new internal app
/// uses no other app until its author says so.
pub fn declare_no_uses(config: &mut DocumentMut, name: &str) {
    let apps = config.entry("app").or_insert_with(|| {
        let mut table = toml_edit::Table::new();
        table.set_implicit(true);
        Item::Table(table)
    });
    if let Some(apps) = apps.as_table_like_mut() {
        let app = apps.entry(name).or_insert(toml_edit::table());
        if let Some(app) = app.as_table_like_mut() {
            app.insert("uses", Item::Value(Value::Array(Array::new())));
        }
    }
}

/// Adds `name = { path = "<path>" }` to `[dependencies]` of `manifest`
/// (the file at `file`).
pub fn add_path_dependency(file: &Path, manifest: &mut DocumentMut, name: &str, path: &str) -> Result<()> {
    let mut dep = InlineTable::new();
    dep.insert("path", path.into());
    add_dependency(file, manifest, name, Item::Value(Value::InlineTable(dep)))
}

/// Adds `name = <dep>` to `[dependencies]` of `manifest` (the file at `file`).
pub fn add_dependency(file: &Path, manifest: &mut DocumentMut, name: &str, dep: Item) -> Result<()> {
    let deps = manifest
        .entry("dependencies")
        .or_insert_with(toml_edit::table)
        .as_table_like_mut()
        .ok_or_else(|| {
            unexpected(
                file,
                "`dependencies` is not a table".into(),
                "make it `[dependencies]`",
            )
        })?;
    deps.insert(name, dep);
    Ok(())
}

/// Adds `pattern` to `[print_schema] filter = { except_tables = [...] }` of
/// `diesel` (the file at `file`).
pub fn except_table(file: &Path, diesel: &mut DocumentMut, pattern: &str) -> Result<()> {
    let fix = "write `[print_schema]` with `filter = { except_tables = [\"...\"] }` (the diesel CLI's form)";
    let print_schema = diesel
        .entry("print_schema")
        .or_insert_with(toml_edit::table)
        .as_table_like_mut()
        .ok_or_else(|| unexpected(file, "`print_schema` is not a table".into(), fix))?;
    let filter = print_schema
        .entry("filter")
        .or_insert(Item::Value(Value::InlineTable(InlineTable::new())))
        .as_table_like_mut()
        .ok_or_else(|| unexpected(file, "`print_schema.filter` is not a table".into(), fix))?;
    let list = filter
        .entry("except_tables")
        .or_insert(Item::Value(Value::Array(Array::new())))
        .as_array_mut()
        .ok_or_else(|| unexpected(file, "`except_tables` is not an array".into(), fix))?;
    if !list.iter().any(|v| v.as_str() == Some(pattern)) {
        list.push(pattern);
    }
    Ok(())
}

/// `src/apps/mod.rs` with `pub mod <name>;` after its last `mod` line (or at
/// the end), checked: the result parses and declares the module once.
pub fn declare_module(path: &Path, text: &str, name: &str) -> Result<String> {
    let fix =
        "declare the app's module yourself (`pub mod <name>;`) after fixing the file, or undo your edit";
    let before = syn::parse_file(text)
        .map_err(|err| unexpected(path, format!("does not parse as Rust ({err})"), fix))?;
    if declares(&before, name) {
        return Err(already(path, format!("`mod {name}`")));
    }
    let lines: Vec<&str> = text.lines().collect();
    let last_mod = lines.iter().rposition(|line| {
        let line = line.trim_start();
        let line = line.strip_prefix("pub ").unwrap_or(line);
        line.starts_with("mod ") && line.trim_end().ends_with(';')
    });
    let declaration = format!("pub mod {name};");
    let mut out: Vec<&str> = lines.clone();
    match last_mod {
        Some(at) => out.insert(at + 1, &declaration),
        None => {
            if out.last().is_some_and(|l| !l.trim().is_empty()) {
                out.push("");
            }
            out.push(&declaration);
        }
    }
    let mut result = out.join("\n");
    result.push('\n');
    let after = syn::parse_file(&result)
        .map_err(|err| unexpected(path, format!("would not parse after the edit ({err})"), fix))?;
    if !declares(&after, name) || after.items.len() != before.items.len() + 1 {
        return Err(unexpected(
            path,
            format!("the edit would not declare `mod {name}` cleanly"),
            fix,
        ));
    }
    Ok(result)
}

/// `src/apps/mod.rs` without the line that declares `mod <name>;`,
/// checked: the result parses and declares it no more.
pub fn undeclare_module(path: &Path, text: &str, name: &str) -> Result<String> {
    let fix = "remove the app's `pub mod <name>;` line yourself, or restore the file";
    let before = syn::parse_file(text)
        .map_err(|err| unexpected(path, format!("does not parse as Rust ({err})"), fix))?;
    let declaration = |line: &str| {
        let line = line.trim();
        let line = line.strip_prefix("pub ").unwrap_or(line);
        line.strip_prefix("mod ")
            .and_then(|rest| rest.strip_suffix(';'))
            .is_some_and(|rest| rest.trim() == name)
    };
    let lines: Vec<&str> = text.lines().collect();
    let attributed = lines.iter().enumerate().any(|(i, line)| {
        declaration(line)
            && lines[..i]
                .iter()
                .rev()
                .find(|l| !l.trim().is_empty())
                .is_some_and(|l| l.trim_start().starts_with("#["))
    });
    if attributed {
        return Err(unexpected(
            path,
            format!("`pub mod {name};` carries an attribute (`#[cfg(…)]`?) that removing the line would leave on the next item"),
            fix,
        ));
    }
    let kept: Vec<&str> = lines.into_iter().filter(|line| !declaration(line)).collect();
    let mut result = kept.join("\n");
    result.push('\n');
    let after = syn::parse_file(&result)
        .map_err(|err| unexpected(path, format!("would not parse after the edit ({err})"), fix))?;
    if declares(&after, name) || after.items.len() + 1 != before.items.len() {
        return Err(unexpected(
            path,
            format!("does not declare `pub mod {name};` on a line of its own"),
            fix,
        ));
    }
    Ok(result)
}

/// fastapp.toml with the internal app `name` (`"apps.<name>"`) listed as
/// the external app `"<name>"` in the same place; its `uses` (an internal
/// app's) dropped, its `prefix` kept; and, when `[migration] order` is
/// given, the app's migrations right after core's (its baseline adopts
/// what core's migrations create).
pub fn externalize_app(config: &mut DocumentMut, name: &str) {
    let entry = fastapp_config::AppRef::internal_entry(name);
    if let Some(apps) = config.get_mut("apps").and_then(Item::as_array_mut) {
        let at = apps.iter().position(|v| v.as_str() == Some(entry.as_str()));
        if let Some(at) = at {
            let decor = apps.get(at).map(|v| v.decor().clone());
            apps.replace(at, name);
            if let (Some(decor), Some(value)) = (decor, apps.get_mut(at)) {
                *value.decor_mut() = decor;
            }
        }
    }
    if let Some(apps) = config.get_mut("app").and_then(Item::as_table_like_mut) {
        if let Some(app) = apps.get_mut(name).and_then(Item::as_table_like_mut) {
            app.remove("uses");
            if app.is_empty() {
                apps.remove(name);
            }
        }
    }
    let order = config
        .get_mut("migration")
        .and_then(|m| m.get_mut("order"))
        .and_then(Item::as_array_mut);
    if let Some(order) = order {
        if !order.iter().any(|v| v.as_str() == Some(name)) {
            let core = order.iter().position(|v| v.as_str() == Some("core"));
            order.insert(core.map_or(order.len(), |at| at + 1), name);
        }
    }
}

fn declares(file: &syn::File, name: &str) -> bool {
    file.items
        .iter()
        .any(|item| matches!(item, syn::Item::Mod(m) if m.ident == name))
}

/// The shared `schema.rs` with a new `table!` block, laid out as
/// `diesel print-schema` lays it out (see [`SchemaFile`]).
pub fn add_table(path: &Path, text: &str, table: &str, block: &str) -> Result<String> {
    let mut schema = SchemaFile::parse(path, text)?;
    if schema.tables.iter().any(|(name, _)| name == table) {
        return Err(already(path, format!("table `{table}`")));
    }
    schema
        .tables
        .push((table.to_string(), block.trim_end().to_string()));
    schema.render(path)
}

/// A diesel schema module as `diesel print-schema` writes it: a comment
/// header, `table!` blocks sorted by name, `joinable!` lines, and one
/// `allow_tables_to_appear_in_same_query!`, regenerated on [`render`], so
/// that the next `diesel migration run` rewrites an edited file to the
/// same text.
///
/// [`render`]: SchemaFile::render
#[derive(Debug, Clone, Default)]
pub struct SchemaFile {
    pub header: Vec<String>,
    /// Each table's name and its `table!` block.
    pub tables: Vec<(String, String)>,
    /// `diesel::joinable!(child -> parent (column));` lines.
    pub joinables: Vec<String>,
}

impl SchemaFile {
    pub fn parse(path: &Path, text: &str) -> Result<SchemaFile> {
        let fix = "add the table with `diesel migration run` (which rewrites schema.rs), or restore the file as the diesel CLI wrote it";
        let mut schema = SchemaFile::default();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            if line == "diesel::table! {" {
                let mut block_lines = vec![line];
                for inner in lines.by_ref() {
                    block_lines.push(inner);
                    if inner == "}" {
                        break;
                    }
                }
                let name = block_lines
                    .iter()
                    .skip(1)
                    .find(|l| {
                        let l = l.trim_start();
                        !(l.starts_with("//") || l.starts_with('#') || l.starts_with("use ") || l.is_empty())
                    })
                    .and_then(|l| l.split_whitespace().next())
                    .ok_or_else(|| unexpected(path, "a `table!` block without a name".into(), fix))?;
                let name = name.rsplit('.').next().unwrap_or(name);
                schema.tables.push((name.to_string(), block_lines.join("\n")));
            } else if line.starts_with("diesel::joinable!(") {
                schema.joinables.push(line.to_string());
            } else if line.starts_with("diesel::allow_tables_to_appear_in_same_query!(")
                || line.trim().is_empty()
            {
            } else if line.starts_with("//") && schema.tables.is_empty() {
                schema.header.push(line.to_string());
            } else {
                return Err(unexpected(
                    path,
                    format!("has a line cargo fastapp does not know how to keep: `{line}`"),
                    fix,
                ));
            }
        }
        Ok(schema)
    }

    /// The tables a `joinable!` line joins: (child, parent).
    pub fn joined(line: &str) -> Option<(&str, &str)> {
        let inner = line.strip_prefix("diesel::joinable!(")?;
        let (child, rest) = inner.split_once("->")?;
        let parent = rest.split_whitespace().next()?;
        Some((child.trim(), parent))
    }

    /// Takes the tables `names` out (with the `joinable!` lines that
    /// mention them) and returns them as a schema of their own, which keeps
    /// the `joinable!` lines between them.
    pub fn split_off(&mut self, names: &[String]) -> SchemaFile {
        let wanted = |name: &str| names.iter().any(|n| n == name);
        let (taken, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut self.tables)
            .into_iter()
            .partition(|(name, _)| wanted(name));
        self.tables = kept;
        let mut moved = Vec::new();
        self.joinables.retain(|line| match SchemaFile::joined(line) {
            Some((child, parent)) if wanted(child) && wanted(parent) => {
                moved.push(line.clone());
                false
            }
            Some((child, parent)) => !wanted(child) && !wanted(parent),
            None => true,
        });
        SchemaFile {
            header: Vec::new(),
            tables: taken,
            joinables: moved,
        }
    }

    /// The file's text, checked to parse as Rust.
    pub fn render(&self, path: &Path) -> Result<String> {
        let mut tables = self.tables.clone();
        tables.sort();
        let mut out = if self.header.is_empty() {
            "// @generated automatically by Diesel CLI.".to_string()
        } else {
            self.header.join("\n")
        };
        out.push('\n');
        for (_, block) in &tables {
            out.push('\n');
            out.push_str(block);
            out.push('\n');
        }
        if !self.joinables.is_empty() {
            out.push('\n');
            out.push_str(&self.joinables.join("\n"));
            out.push('\n');
        }
        if tables.len() > 1 {
            let names: Vec<&str> = tables.iter().map(|(name, _)| name.as_str()).collect();
            out.push_str(&format!(
                "\ndiesel::allow_tables_to_appear_in_same_query!({},);\n",
                names.join(", ")
            ));
        }
        syn::parse_file(&out).map_err(|err| {
            unexpected(
                path,
                format!("would not parse after the edit ({err})"),
                "restore the file as the diesel CLI wrote it",
            )
        })?;
        Ok(out)
    }
}

/// `scaffold.E063`: what the edit would add is there already.
fn already(path: &Path, what: String) -> Finding {
    Finding::new(
        "scaffold.E063",
        format!("{} declares {what} already", path.display()),
        "choose another name, or remove what is there",
    )
    .location(path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BLOCK: &str =
        "diesel::table! {\n    shop_items (id) {\n        id -> Text,\n        name -> Text,\n    }\n}\n";

    #[test]
    fn a_table_goes_where_diesel_would_print_it() {
        let path = Path::new("schema.rs");
        let empty = "// @generated automatically by Diesel CLI.\n";
        let one = add_table(path, empty, "shop_items", BLOCK).unwrap();
        assert_eq!(one, format!("{empty}\n{BLOCK}"));
        let two = add_table(path, &one, "a_items", &BLOCK.replace("shop_items", "a_items")).unwrap();
        assert!(two.find("a_items (id)").unwrap() < two.find("shop_items (id)").unwrap());
        assert!(
            two.ends_with("}\n\ndiesel::allow_tables_to_appear_in_same_query!(a_items, shop_items,);\n"),
            "{two}"
        );
        assert_eq!(
            add_table(path, &two, "a_items", BLOCK).unwrap_err().id,
            "scaffold.E063"
        );
        assert_eq!(
            add_table(path, "pub fn surprise() {}\n", "x", BLOCK)
                .unwrap_err()
                .id,
            "scaffold.E066"
        );
    }

    #[test]
    fn a_module_is_declared_after_the_last_one_and_comments_stay() {
        let path = Path::new("mod.rs");
        let text = "//! Apps.\n\npub mod accounts; // users\npub mod blog;\n\n// the end\n";
        let out = declare_module(path, text, "shop").unwrap();
        assert_eq!(
            out,
            "//! Apps.\n\npub mod accounts; // users\npub mod blog;\npub mod shop;\n\n// the end\n"
        );
        assert_eq!(
            declare_module(path, &out, "shop").unwrap_err().id,
            "scaffold.E063"
        );
        assert_eq!(
            declare_module(path, "pub mod {", "shop").unwrap_err().id,
            "scaffold.E066"
        );
        assert_eq!(
            declare_module(path, "//! Apps.\n", "shop").unwrap(),
            "//! Apps.\n\npub mod shop;\n"
        );
    }

    #[test]
    fn toml_edits_keep_comments() {
        let mut config: DocumentMut = "# apps, in order\napps = [\"apps.blog\"] # mounted\n"
            .parse()
            .unwrap();
        append_app(&mut config, "apps.shop");
        assert_eq!(
            config.to_string(),
            "# apps, in order\napps = [\"apps.blog\", \"apps.shop\"] # mounted\n"
        );
        let mut diesel: DocumentMut = "[print_schema]\nfile = \"src/core/schema.rs\" # here\n"
            .parse()
            .unwrap();
        let file = Path::new("diesel.toml");
        except_table(file, &mut diesel, "^news_items$").unwrap();
        except_table(file, &mut diesel, "^news_items$").unwrap();
        let mut odd: DocumentMut = "[print_schema]\nfilter = { except_tables = \"users\" }\n"
            .parse()
            .unwrap();
        assert_eq!(
            except_table(file, &mut odd, "^x$").unwrap_err().id,
            "scaffold.E066"
        );
        let mut odd: DocumentMut = "dependencies = 3\n".parse().unwrap();
        assert_eq!(
            add_path_dependency(file, &mut odd, "x", "x").unwrap_err().id,
            "scaffold.E066"
        );
        assert!(diesel
            .to_string()
            .contains("file = \"src/core/schema.rs\" # here"));
        assert!(
            diesel
                .to_string()
                .contains("filter = { except_tables = [\"^news_items$\"] }"),
            "{diesel}"
        );
    }

    #[test]
    fn an_extracted_app_keeps_its_place_and_prefix_and_migrates_after_core() {
        let mut config: DocumentMut = "apps = [\"apps.crm\", \"apps.shop\", \"news\"] # order\n\n\
             [app.shop]\nuses = []\nprefix = \"/store\"\n\n[app.crm]\nuses = []\n\n\
             [migration]\norder = [\"news\", \"core\"]\n"
            .parse()
            .unwrap();
        externalize_app(&mut config, "shop");
        externalize_app(&mut config, "crm");
        assert_eq!(
            config.to_string(),
            "apps = [\"crm\", \"shop\", \"news\"] # order\n\n[app.shop]\nprefix = \"/store\"\n\n\
             [migration]\norder = [\"news\", \"core\", \"crm\", \"shop\"]\n"
        );
        let mut undeclared = undeclare_module(
            Path::new("mod.rs"),
            "//! Apps.\n\npub mod crm;\npub mod shop;\n",
            "shop",
        );
        assert_eq!(undeclared.as_deref().unwrap(), "//! Apps.\n\npub mod crm;\n");
        undeclared = undeclare_module(Path::new("mod.rs"), "pub mod crm; pub mod shop;\n", "shop");
        assert_eq!(undeclared.unwrap_err().id, "scaffold.E066");
    }
}
