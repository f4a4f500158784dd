//! The module-tree scan behind `#[internal_app]`.
//!
//! Starting at the app's root file, every file of the module tree (`mod x;`
//! declarations, `#[path]` included, inline modules followed) is parsed and
//! walked once. The walk reports references to external app crates and
//! `table!` declarations, and collects the other internal apps the app
//! refers to (`crate::apps::<other>`, `super::<other>`, …).

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use syn::spanned::Spanned;
use syn::visit::{self, Visit};

/// What the scan is looking for.
pub struct ScanInput<'a> {
    /// The app being scanned.
    pub app: &'a str,
    /// External app crate names listed in `fastapp.toml`.
    pub external: &'a BTreeSet<String>,
    /// Report paths into `fastapp_core::__private` (for external app crates,
    /// which may use fastapp's public API only).
    pub forbid_private_api: bool,
}

/// A reference to an external app crate, or a `table!` of the app's own.
pub struct Finding {
    pub kind: FindingKind,
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    /// The source line, trimmed.
    pub snippet: String,
}

pub enum FindingKind {
    /// `crate` is the external app crate referenced.
    External {
        krate: String,
    },
    OwnTable,
    /// A path into `fastapp_core::__private`.
    PrivateApi,
}

/// Everything one scan learns.
#[derive(Default)]
pub struct ScanOutput {
    pub findings: Vec<Finding>,
    /// Other internal apps this app references.
    pub depends_on: BTreeSet<String>,
    /// Every file read, root first.
    pub files: Vec<PathBuf>,
}

/// Scans the module tree rooted at `root_file`, whose module path relative
/// to the crate root is `module_path` (e.g. `["apps", "blog"]`).
pub fn scan(input: &ScanInput<'_>, root_file: &Path, module_path: Vec<String>) -> Result<ScanOutput, String> {
    crate::source::with_line_spans(|| {
        let mut out = ScanOutput::default();
        let is_mod_rs = root_file
            .file_name()
            .is_some_and(|name| name == "mod.rs" || name == "lib.rs" || name == "main.rs");
        scan_file(input, root_file, module_path, is_mod_rs, &mut out)?;
        Ok(out)
    })
}

fn scan_file(
    input: &ScanInput<'_>,
    file: &Path,
    module_path: Vec<String>,
    is_mod_rs: bool,
    out: &mut ScanOutput,
) -> Result<(), String> {
    if !file.is_file() {
        // A `mod x;` without a file: rustc reports it (or it is cfg'd out).
        return Ok(());
    }
    let text = std::fs::read_to_string(file)
        .map_err(|err| format!("fastapp: cannot read {}: {err}", file.display()))?;
    let ast = crate::source::parse_file(&text)
        .map_err(|err| format!("fastapp: cannot parse {}: {err}", file.display()))?;
    out.files.push(file.to_path_buf());

    // Directory in which `mod child;` files of this module are looked up.
    let dir = file.parent().unwrap_or(Path::new("."));
    let child_dir = if is_mod_rs {
        dir.to_path_buf()
    } else {
        let stem = file.file_stem().unwrap_or_default();
        dir.join(stem)
    };

    let mut walker = Walker {
        input,
        file,
        file_dir: dir.to_path_buf(),
        lines: text.lines().collect(),
        module_path,
        scopes: vec![item_names(&ast.items)],
        child_dirs: vec![child_dir],
        pending: Vec::new(),
        out,
    };
    walker.visit_file(&ast);
    let pending = std::mem::take(&mut walker.pending);
    for (path, module_path, is_mod_rs) in pending {
        scan_file(input, &path, module_path, is_mod_rs, out)?;
    }
    Ok(())
}

struct Walker<'a, 'o> {
    input: &'a ScanInput<'a>,
    file: &'a Path,
    /// Directory of `file`: where a top-level `#[path]` is relative to.
    file_dir: PathBuf,
    lines: Vec<&'a str>,
    /// Module path of the item being walked, relative to the crate root.
    module_path: Vec<String>,
    /// Names declared by enclosing modules and blocks, innermost last.
    scopes: Vec<HashSet<String>>,
    /// Directory for `mod x;` in the module being walked, innermost last.
    child_dirs: Vec<PathBuf>,
    /// Module files found, to scan after this one.
    pending: Vec<(PathBuf, Vec<String>, bool)>,
    out: &'o mut ScanOutput,
}

impl Walker<'_, '_> {
    fn is_local(&self, name: &str) -> bool {
        self.scopes.iter().any(|scope| scope.contains(name))
    }

    fn report(&mut self, kind: FindingKind, span: proc_macro2::Span) {
        let start = span.start();
        let snippet = self
            .lines
            .get(start.line.saturating_sub(1))
            .map(|line| line.trim().to_string())
            .unwrap_or_default();
        self.out.findings.push(Finding {
            kind,
            file: self.file.to_path_buf(),
            line: start.line,
            column: start.column + 1,
            snippet,
        });
    }

    /// Checks one path, given as its segments.
    ///
    /// `leading_colon` is `::a::b`; `is_use` marks a `use` path, where a
    /// single segment (`use newsletter;`) already names the crate.
    fn check_path(
        &mut self,
        segments: &[String],
        leading_colon: bool,
        is_use: bool,
        span: proc_macro2::Span,
    ) {
        let Some(first) = segments.first() else {
            return;
        };
        if self.input.forbid_private_api
            && first == "fastapp_core"
            && segments.get(1).is_some_and(|s| s == "__private")
        {
            self.report(FindingKind::PrivateApi, span);
            return;
        }
        if self.input.external.contains(first) {
            let names_crate = leading_colon || ((segments.len() > 1 || is_use) && !self.is_local(first));
            if names_crate {
                self.report(FindingKind::External { krate: first.clone() }, span);
                return;
            }
        }
        if leading_colon {
            return;
        }
        // Resolve against the crate root to find other internal apps.
        let mut absolute: Vec<String> = Vec::new();
        let mut rest = segments;
        match first.as_str() {
            "crate" => rest = &segments[1..],
            "self" | "super" => {
                absolute = self.module_path.clone();
                while let Some(seg) = rest.first() {
                    match seg.as_str() {
                        "self" => {}
                        "super" => {
                            absolute.pop();
                        }
                        _ => break,
                    }
                    rest = &rest[1..];
                }
            }
            _ => return,
        }
        absolute.extend(rest.iter().cloned());
        if let [apps, other, ..] = absolute.as_slice() {
            if apps == "apps" && other != self.input.app && segments.len() > 1 {
                self.out.depends_on.insert(other.clone());
            }
        }
    }

    /// Looks for `name ::` in the tokens of a macro call or attribute,
    /// which syn leaves unparsed.
    fn check_tokens(&mut self, tokens: &TokenStream) {
        let tokens: Vec<TokenTree> = tokens.clone().into_iter().collect();
        for (i, token) in tokens.iter().enumerate() {
            match token {
                TokenTree::Group(group) => self.check_tokens(&group.stream()),
                TokenTree::Ident(ident) if self.input.forbid_private_api && ident == "__private" => {
                    let after_core = i >= 3
                        && matches!(&tokens[i - 3], TokenTree::Ident(core) if core == "fastapp_core")
                        && matches!(&tokens[i - 1], TokenTree::Punct(p) if p.as_char() == ':');
                    if after_core {
                        self.report(FindingKind::PrivateApi, ident.span());
                    }
                }
                TokenTree::Ident(ident) => {
                    let name = ident.to_string();
                    if !self.input.external.contains(&name) {
                        continue;
                    }
                    let followed_by_path = matches!(
                        (tokens.get(i + 1), tokens.get(i + 2)),
                        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
                            if a.as_char() == ':' && b.as_char() == ':'
                    );
                    let before = if i >= 1 { tokens.get(i - 1) } else { None };
                    let before2 = if i >= 2 { tokens.get(i - 2) } else { None };
                    let leading_colon = matches!(
                        (before2, before),
                        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
                            if a.as_char() == ':' && b.as_char() == ':'
                    );
                    // `x::newsletter::y` is a path into something else, and
                    // `.newsletter` / `$newsletter` are not paths.
                    let continues_path = leading_colon
                        && i >= 3
                        && matches!(tokens.get(i - 3), Some(TokenTree::Ident(prev)) if !is_keyword(&prev.to_string()));
                    let not_a_path = matches!(
                        before,
                        Some(TokenTree::Punct(p)) if p.as_char() == '.' || p.as_char() == '$'
                    );
                    if continues_path || not_a_path {
                        continue;
                    }
                    if leading_colon || (followed_by_path && !self.is_local(&name)) {
                        self.report(FindingKind::External { krate: name }, ident.span());
                    }
                }
                _ => {}
            }
        }
    }

    /// Checks every leaf path of a `use` tree; findings point at the path's
    /// first segment.
    fn check_use_tree(
        &mut self,
        prefix: &mut Vec<String>,
        first: Option<proc_macro2::Span>,
        tree: &syn::UseTree,
        leading_colon: bool,
    ) {
        let at = first.unwrap_or_else(|| tree.span());
        match tree {
            syn::UseTree::Path(path) => {
                prefix.push(path.ident.to_string());
                self.check_use_tree(prefix, Some(at), &path.tree, leading_colon);
                prefix.pop();
            }
            syn::UseTree::Name(syn::UseName { ident })
            | syn::UseTree::Rename(syn::UseRename { ident, .. }) => {
                prefix.push(ident.to_string());
                self.check_path(&prefix.clone(), leading_colon, true, at);
                prefix.pop();
            }
            syn::UseTree::Glob(_) => {
                self.check_path(&prefix.clone(), leading_colon, true, at);
            }
            syn::UseTree::Group(group) => {
                for tree in &group.items {
                    self.check_use_tree(prefix, first, tree, leading_colon);
                }
            }
        }
    }

    /// The file of `mod x;`, and whether it is a mod-rs file, following
    /// rustc's rules (the Reference, "Module source filenames" and "The
    /// path attribute").
    fn mod_file(&self, item: &syn::ItemMod) -> Option<(PathBuf, bool)> {
        let dir = self.child_dirs.last()?;
        if let Some(path) = path_attr(&item.attrs) {
            // Outside inline modules, relative to the file's own directory;
            // inside them, to the inline modules' directory. Files loaded
            // through `#[path]` are mod-rs files.
            let base = if self.child_dirs.len() == 1 {
                &self.file_dir
            } else {
                dir
            };
            return Some((base.join(path), true));
        }
        let name = item.ident.to_string();
        let flat = dir.join(format!("{name}.rs"));
        if flat.is_file() {
            return Some((flat, false));
        }
        Some((dir.join(&name).join("mod.rs"), true))
    }
}

impl<'ast> Visit<'ast> for Walker<'_, '_> {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        for attr in &item.attrs {
            self.visit_attribute(attr);
        }
        self.check_use_tree(&mut Vec::new(), None, &item.tree, item.leading_colon.is_some());
    }

    fn visit_item_extern_crate(&mut self, item: &'ast syn::ItemExternCrate) {
        let name = item.ident.to_string();
        if self.input.external.contains(&name) {
            self.report(FindingKind::External { krate: name }, item.span());
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.check_path(&segments, path.leading_colon.is_some(), false, path.span());
        visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let last = mac.path.segments.last().map(|s| s.ident.to_string());
        let first = mac.path.segments.first().map(|s| s.ident.to_string());
        if last.as_deref() == Some("table")
            && (mac.path.segments.len() == 1 || first.as_deref() == Some("diesel"))
        {
            self.report(FindingKind::OwnTable, mac.path.span());
        }
        self.visit_path(&mac.path);
        self.check_tokens(&mac.tokens);
    }

    fn visit_meta_list(&mut self, list: &'ast syn::MetaList) {
        self.visit_path(&list.path);
        self.check_tokens(&list.tokens);
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        for attr in &item.attrs {
            self.visit_attribute(attr);
        }
        let mut module_path = self.module_path.clone();
        module_path.push(item.ident.to_string());
        match &item.content {
            Some((_, items)) => {
                let dir = match path_attr(&item.attrs) {
                    Some(path) => self.child_dirs.last().map(|d| d.join(path)),
                    None => self.child_dirs.last().map(|d| d.join(item.ident.to_string())),
                }
                .unwrap_or_default();
                let saved_scopes = std::mem::replace(&mut self.scopes, vec![item_names(items)]);
                let saved_path = std::mem::replace(&mut self.module_path, module_path);
                self.child_dirs.push(dir);
                for item in items {
                    self.visit_item(item);
                }
                self.child_dirs.pop();
                self.module_path = saved_path;
                self.scopes = saved_scopes;
            }
            None => {
                if let Some((file, is_mod_rs)) = self.mod_file(item) {
                    self.pending
                        .push((crate::source::normalize(&file), module_path, is_mod_rs));
                }
            }
        }
    }

    fn visit_block(&mut self, block: &'ast syn::Block) {
        let items: Vec<syn::Item> = block
            .stmts
            .iter()
            .filter_map(|stmt| match stmt {
                syn::Stmt::Item(item) => Some(item.clone()),
                _ => None,
            })
            .collect();
        self.scopes.push(item_names(&items));
        visit::visit_block(self, block);
        self.scopes.pop();
    }
}

/// The value of a `#[path = "..."]` attribute.
fn path_attr(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find_map(|attr| match &attr.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

/// Names that items declare in the type namespace of a module or block:
/// they shadow crates.
fn item_names(items: &[syn::Item]) -> HashSet<String> {
    let mut names = HashSet::new();
    for item in items {
        // Only the type namespace: the first segment of `a::b` is looked up
        // there, so a `fn newsletter` does not hide the crate.
        let ident = match item {
            syn::Item::Enum(i) => Some(&i.ident),
            syn::Item::Mod(i) => Some(&i.ident),
            syn::Item::Struct(i) => Some(&i.ident),
            syn::Item::Trait(i) => Some(&i.ident),
            syn::Item::Type(i) => Some(&i.ident),
            syn::Item::Union(i) => Some(&i.ident),
            syn::Item::ExternCrate(i) => i.rename.as_ref().map(|(_, rename)| rename),
            syn::Item::Use(i) => {
                use_bindings(&i.tree, 0, &mut names);
                None
            }
            _ => None,
        };
        if let Some(ident) = ident {
            names.insert(ident.to_string());
        }
    }
    names
}

/// Names a `use` binds. `use x;` at depth 0 binds a crate to its own name
/// and shadows nothing.
fn use_bindings(tree: &syn::UseTree, depth: usize, names: &mut HashSet<String>) {
    match tree {
        syn::UseTree::Path(path) => use_bindings(&path.tree, depth + 1, names),
        syn::UseTree::Name(name) if name.ident != "self" && depth > 0 => {
            names.insert(name.ident.to_string());
        }
        syn::UseTree::Rename(rename) => {
            names.insert(rename.rename.to_string());
        }
        syn::UseTree::Group(group) => group.items.iter().for_each(|t| use_bindings(t, depth, names)),
        _ => {}
    }
}

/// Keywords that may stand before a `::path` without being part of it.
fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "as" | "async"
            | "await"
            | "box"
            | "break"
            | "const"
            | "continue"
            | "dyn"
            | "else"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "move"
            | "mut"
            | "ref"
            | "return"
            | "static"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "yield"
    )
}
