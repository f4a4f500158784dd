//! The module-tree scan behind `#[internal_app]`.
//!
//! Starting at the app's root file, every file of the module tree (`mod x;`
//! declarations, `#[path]` included, inline modules followed) is parsed and
//! walked once. The walk reports references to external app crates and
//! `table!` declarations, paths into other internal apps
//! (`crate::apps::<other>`, `super::<other>`, …) and into the shared schema,
//! and the app's own module declarations.
//!
//! The scan is the friendly first line, never the guarantee: the crate graph
//! (no external app is a dependency of the project package) and module
//! privacy hold the rules whatever the code looks like. So it reports only
//! what it can tell refers to what it names under rustc's rules, and stays
//! silent where it cannot know: code inside `macro_rules!` definitions and
//! the arguments of macros it does not know, names that a glob import or an
//! item-position macro call may bind.

mod names;
mod visit;

use names::{item_names, Binding, LOCAL_GLOB};
pub use names::{model_table, path_attr};

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::visit::Visit;

/// What the scan is looking for.
pub struct ScanInput<'a> {
    /// The app being scanned.
    pub app: &'a str,
    /// The names code can use for external app crates listed in
    /// `fastapp.toml` (the crate name, and the dependency key when
    /// Cargo.toml renames it), each mapped to the app's crate name.
    pub external: &'a BTreeMap<String, String>,
    /// Report paths into `fastapp_core::__private` (for external app crates,
    /// which may use fastapp's public API only).
    pub forbid_private_api: bool,
    /// Report what the boundaries between internal apps need: paths into
    /// other apps and into the shared schema, and the app's own modules
    /// made visible outside it.
    pub app_boundary: bool,
    /// The module path of the shared schema (`["core", "schema"]`), if any.
    pub schema_module: Option<Vec<String>>,
}

/// What the scan found, and where.
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
    /// `pub mod <module>;` (any visibility but private) at the app's root,
    /// for a module other than `api`.
    PublicModule {
        module: String,
    },
    /// A path into another internal app: `crate::apps::<app>::<part>…`.
    AppPath {
        app: String,
        part: Option<String>,
    },
    /// A path into the shared schema naming `table`.
    Table {
        table: String,
    },
}

/// Everything one scan learns.
#[derive(Default)]
pub struct ScanOutput {
    pub findings: Vec<Finding>,
    /// Other internal apps this app references.
    pub depends_on: BTreeSet<String>,
    /// Every file read, root first.
    pub files: Vec<PathBuf>,
    /// Tables of the app's own `#[model(table = ...)]`s.
    pub own_tables: BTreeSet<String>,
    /// Length of the app root's module path.
    root_len: usize,
}

/// Scans the module tree rooted at `root_file`, whose module path relative
/// to the crate root is `module_path` (e.g. `["apps", "blog"]`).
pub fn scan(input: &ScanInput<'_>, root_file: &Path, module_path: Vec<String>) -> Result<ScanOutput, String> {
    crate::source::with_line_spans(|| {
        let mut out = ScanOutput {
            root_len: module_path.len(),
            ..ScanOutput::default()
        };
        let is_mod_rs = root_file
            .file_name()
            .is_some_and(|name| name == "mod.rs" || name == "lib.rs" || name == "main.rs");
        scan_file(
            input,
            root_file,
            module_path,
            is_mod_rs,
            &mut out,
            &mut Vec::new(),
        )?;
        Ok(out)
    })
}

fn scan_file(
    input: &ScanInput<'_>,
    file: &Path,
    module_path: Vec<String>,
    is_mod_rs: bool,
    out: &mut ScanOutput,
    parents: &mut Vec<PathBuf>,
) -> Result<(), String> {
    if !file.is_file() {
        // A `mod x;` without a file: rustc reports it (or it is cfg'd out).
        return Ok(());
    }
    // A module whose file is its own or a parent's (a cfg'd-out `#[path]`
    // module: rustc never reads it) would be read again and again. A file
    // included twice elsewhere is scanned under each module path.
    let canonical = file.canonicalize().unwrap_or_else(|_| file.to_path_buf());
    if parents.contains(&canonical) {
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
        scopes: vec![item_names(&ast.items, input.external)],
        child_dirs: vec![child_dir],
        pending: Vec::new(),
        out,
    };
    walker.visit_file(&ast);
    let pending = std::mem::take(&mut walker.pending);
    parents.push(canonical);
    for (path, module_path, is_mod_rs) in pending {
        scan_file(input, &path, module_path, is_mod_rs, out, parents)?;
    }
    parents.pop();
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
    /// Names bound by enclosing modules, blocks and generics, innermost last.
    scopes: Vec<HashMap<String, Binding>>,
    /// Directory for `mod x;` in the module being walked, innermost last.
    child_dirs: Vec<PathBuf>,
    /// Module files found, to scan after this one.
    pending: Vec<(PathBuf, Vec<String>, bool)>,
    out: &'o mut ScanOutput,
}

impl Walker<'_, '_> {
    /// The external app crate `name` denotes at the start of a path, if any:
    /// the innermost binding wins, then the crates themselves.
    fn external_crate(&self, name: &str) -> Option<String> {
        for scope in self.scopes.iter().rev() {
            match scope.get(name) {
                Some(Binding::Local) => return None,
                Some(Binding::External(krate)) => return Some(krate.clone()),
                // A glob or a macro call may bind the name: the scan
                // cannot know, so it does not reject (rustc resolves it).
                None if scope.contains_key(LOCAL_GLOB) => return None,
                None => {}
            }
        }
        self.input.external.get(name).cloned()
    }

    /// Runs `walk` with `names` bound as one more (innermost) scope.
    fn scoped(&mut self, names: HashMap<String, Binding>, walk: impl FnOnce(&mut Self)) {
        self.scopes.push(names);
        walk(self);
        self.scopes.pop();
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
        // `::x` names a crate whatever is in scope; `x::y` (or `use x;`)
        // names one unless something of the project's hides it.
        let krate = if leading_colon {
            self.input.external.get(first).cloned()
        } else if segments.len() > 1 || is_use {
            self.external_crate(first)
        } else {
            None
        };
        if let Some(krate) = krate {
            self.report(FindingKind::External { krate }, span);
            return;
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
        if let [apps, other, rest @ ..] = absolute.as_slice() {
            if apps == "apps" && other != self.input.app && segments.len() > 1 {
                self.out.depends_on.insert(other.clone());
                if self.input.app_boundary {
                    let kind = FindingKind::AppPath {
                        app: other.clone(),
                        part: rest.first().cloned(),
                    };
                    self.report(kind, span);
                }
            }
        }
        if let Some(schema) = self.input.schema_module.as_deref() {
            if let Some(table) = absolute.strip_prefix(schema).and_then(<[String]>::first) {
                if self.input.app_boundary {
                    let table = table.clone();
                    self.report(FindingKind::Table { table }, span);
                }
            }
        }
    }

    /// `fastapp_core::__private` in the tokens of a macro call or
    /// attribute, which syn leaves unparsed.
    fn check_private_api_tokens(&mut self, tokens: &TokenStream) {
        if !self.input.forbid_private_api {
            return;
        }
        let tokens: Vec<TokenTree> = tokens.clone().into_iter().collect();
        for (i, token) in tokens.iter().enumerate() {
            match token {
                TokenTree::Group(group) => self.check_private_api_tokens(&group.stream()),
                TokenTree::Ident(ident) if ident == "__private" => {
                    let after_core = i >= 3
                        && matches!(&tokens[i - 3], TokenTree::Ident(core) if core == "fastapp_core")
                        && matches!(&tokens[i - 1], TokenTree::Punct(p) if p.as_char() == ':');
                    if after_core {
                        self.report(FindingKind::PrivateApi, ident.span());
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
                prefix.push(path.ident.unraw().to_string());
                self.check_use_tree(prefix, Some(at), &path.tree, leading_colon);
                prefix.pop();
            }
            syn::UseTree::Name(syn::UseName { ident })
            | syn::UseTree::Rename(syn::UseRename { ident, .. }) => {
                prefix.push(ident.unraw().to_string());
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
