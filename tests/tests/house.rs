//! The house's own rules, held for the library crates (fastapp-config,
//! fastapp-macros, fastapp-core, cargo-fastapp): no function over 80 lines,
//! no source file over 600, and no two files that import each other, even
//! through others (a newcomer reads a module without reading its importers).
//!
//! Test code (`#[cfg(test)]` modules, and the `tests.rs` / `examples.rs` /
//! `fixtures.rs` files that hold them) is measured for its files' length
//! only.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::spanned::Spanned;
use syn::visit::Visit;

const CRATES: [&str; 4] = [
    "fastapp-config",
    "fastapp-macros",
    "fastapp-core",
    "cargo-fastapp",
];
const MAX_FN_LINES: usize = 80;
const MAX_FILE_LINES: usize = 600;

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn is_test_file(path: &Path) -> bool {
    ["tests.rs", "examples.rs", "fixtures.rs"]
        .iter()
        .any(|name| path.ends_with(name))
}

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| match &attr.meta {
        syn::Meta::List(list) => list.path.is_ident("cfg") && list.tokens.to_string() == "test",
        _ => false,
    })
}

/// The functions of one file longer than [`MAX_FN_LINES`], `name: lines`.
#[derive(Default)]
struct LongFunctions(Vec<String>);

impl LongFunctions {
    fn measure(&mut self, name: &syn::Ident, from: proc_macro2::Span, to: proc_macro2::Span) {
        let lines = to.end().line - from.start().line + 1;
        if lines > MAX_FN_LINES {
            self.0.push(format!("{name}: {lines} lines"));
        }
    }
}

impl<'ast> Visit<'ast> for LongFunctions {
    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        if !is_cfg_test(&item.attrs) {
            syn::visit::visit_item_mod(self, item);
        }
    }

    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        self.measure(&item.sig.ident, item.sig.span(), item.block.span());
        syn::visit::visit_item_fn(self, item);
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        self.measure(&item.sig.ident, item.sig.span(), item.block.span());
        syn::visit::visit_impl_item_fn(self, item);
    }

    fn visit_trait_item_fn(&mut self, item: &'ast syn::TraitItemFn) {
        if let Some(block) = &item.default {
            self.measure(&item.sig.ident, item.sig.span(), block.span());
        }
        syn::visit::visit_trait_item_fn(self, item);
    }
}

#[test]
fn no_function_is_over_80_lines_and_no_file_over_600() {
    let root = support::workspace();
    let mut problems = Vec::new();
    let mut measured = 0;
    for krate in CRATES {
        let mut files = Vec::new();
        rust_files(&root.join(krate).join("src"), &mut files);
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let shown = file.strip_prefix(&root).unwrap().display().to_string();
            let lines = text.lines().count();
            if lines > MAX_FILE_LINES {
                problems.push(format!("{shown}: {lines} lines (at most {MAX_FILE_LINES})"));
            }
            if is_test_file(&file) {
                continue;
            }
            let parsed = syn::parse_file(&text).unwrap_or_else(|err| panic!("{shown}: {err}"));
            let mut long = LongFunctions::default();
            long.visit_file(&parsed);
            problems.extend(
                long.0
                    .into_iter()
                    .map(|f| format!("{shown}: fn {f} (at most {MAX_FN_LINES})")),
            );
            measured += 1;
        }
    }
    assert!(measured > 60, "the walk finds the library's files ({measured})");
    assert!(
        problems.is_empty(),
        "split these along their seams:\n{}",
        problems.join("\n")
    );
}

/// One crate's modules: module path (`["loader", "mount"]`) → its file.
fn modules(src: &Path) -> BTreeMap<Vec<String>, PathBuf> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files
        .into_iter()
        .filter(|file| !is_test_file(file))
        .filter_map(|file| {
            let relative = file.strip_prefix(src).unwrap().with_extension("");
            let mut path: Vec<String> = relative
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect();
            match path.last().map(String::as_str) {
                Some("lib" | "main") if path.len() == 1 => path.clear(),
                Some("mod") => {
                    path.pop();
                }
                Some("build") if path.len() == 1 => return None,
                _ => {}
            }
            Some((path, file))
        })
        .collect()
}

/// Every path a file's code names (`use` trees flattened, types,
/// expressions), outside `#[cfg(test)]` modules.
#[derive(Default)]
struct Paths(Vec<Vec<String>>);

impl Paths {
    fn use_tree(&mut self, prefix: &[String], tree: &syn::UseTree) {
        let with = |name: String| {
            prefix
                .iter()
                .cloned()
                .chain(std::iter::once(name))
                .collect::<Vec<_>>()
        };
        match tree {
            syn::UseTree::Path(path) => self.use_tree(&with(path.ident.to_string()), &path.tree),
            syn::UseTree::Name(name) => self.0.push(with(name.ident.to_string())),
            syn::UseTree::Rename(rename) => self.0.push(with(rename.ident.to_string())),
            syn::UseTree::Glob(_) => self.0.push(prefix.to_vec()),
            syn::UseTree::Group(group) => group.items.iter().for_each(|tree| self.use_tree(prefix, tree)),
        }
    }
}

impl<'ast> Visit<'ast> for Paths {
    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        if !is_cfg_test(&item.attrs) {
            syn::visit::visit_item_mod(self, item);
        }
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        // A `pub use` hands a name on (a facade): who names it through this
        // module is led to the file that defines it, and the facade itself
        // imports nothing.
        if matches!(item.vis, syn::Visibility::Inherited) {
            self.use_tree(&[], &item.tree);
        }
    }

    // `pub(super)` names where an item is seen from, not what it uses.
    fn visit_visibility(&mut self, _: &'ast syn::Visibility) {}

    fn visit_path(&mut self, path: &'ast syn::Path) {
        self.0
            .push(path.segments.iter().map(|s| s.ident.to_string()).collect());
        syn::visit::visit_path(self, path);
    }
}

/// `path` as named in module `from`, made absolute (`crate::`, `super::`,
/// `self::`); `None` for a path into another crate or a local name.
fn absolute(from: &[String], path: &[String]) -> Option<Vec<String>> {
    let (first, rest) = path.split_first()?;
    match first.as_str() {
        "crate" => Some(rest.to_vec()),
        "self" => Some(from.iter().chain(rest).cloned().collect()),
        "super" => {
            let mut base = from.to_vec();
            base.pop()?;
            absolute(
                &base,
                &std::iter::once("self".to_string())
                    .chain(rest.iter().cloned())
                    .collect::<Vec<_>>(),
            )
        }
        _ => None,
    }
}

/// The file that defines what `path` (absolute) names: the deepest module
/// it goes through, then through that module's own `use` of the name (a
/// re-export), as deep as those go.
fn defining_file(
    path: &[String],
    modules: &BTreeMap<Vec<String>, PathBuf>,
    uses: &BTreeMap<PathBuf, Vec<Vec<String>>>,
    depth: usize,
) -> Option<PathBuf> {
    let at = (0..=path.len())
        .rev()
        .find(|n| modules.contains_key(&path[..*n]))?;
    let (module, file) = (&path[..at], &modules[&path[..at]]);
    let Some(name) = path.get(at) else {
        return Some(file.clone());
    };
    let reexported = uses
        .get(file)
        .into_iter()
        .flatten()
        .find(|used| used.last() == Some(name));
    match reexported.and_then(|used| {
        absolute(module, used).or_else(|| Some(module.iter().chain(used).cloned().collect()))
    }) {
        Some(target) if depth < 8 && target != path => {
            defining_file(&target, modules, uses, depth + 1).or_else(|| Some(file.clone()))
        }
        _ => Some(file.clone()),
    }
}

#[test]
fn no_two_files_import_each_other() {
    let root = support::workspace();
    let mut circles = Vec::new();
    for krate in CRATES {
        let src = root.join(krate).join("src");
        let modules = modules(&src);
        let mut named: BTreeMap<PathBuf, (Vec<String>, Vec<Vec<String>>)> = BTreeMap::new();
        let mut uses: BTreeMap<PathBuf, Vec<Vec<String>>> = BTreeMap::new();
        for (module, file) in &modules {
            let parsed = syn::parse_file(&std::fs::read_to_string(file).unwrap()).unwrap();
            let mut in_uses = Paths::default();
            for item in &parsed.items {
                if let syn::Item::Use(item) = item {
                    in_uses.use_tree(&[], &item.tree);
                }
            }
            uses.insert(file.clone(), in_uses.0);
            let mut paths = Paths::default();
            paths.visit_file(&parsed);
            named.insert(file.clone(), (module.clone(), paths.0));
        }
        // file → file it imports → the names that tie them.
        let mut edges: BTreeMap<PathBuf, BTreeMap<PathBuf, BTreeSet<String>>> = BTreeMap::new();
        for (file, (module, paths)) in &named {
            for path in paths {
                let target = absolute(module, path)
                    .or_else(|| {
                        // A `use` of a child module by its bare name (`use run::x`).
                        let child: Vec<String> = module.iter().chain(path).cloned().collect();
                        (path.len() > 1 && modules.contains_key(&child[..module.len() + 1])).then_some(child)
                    })
                    .and_then(|target| defining_file(&target, &modules, &uses, 0));
                if let Some(target) = target.filter(|target| target != file) {
                    let names = edges.entry(file.clone()).or_default().entry(target).or_default();
                    names.insert(path.join("::"));
                }
            }
        }
        let graph: BTreeMap<PathBuf, BTreeSet<PathBuf>> = edges
            .iter()
            .map(|(file, targets)| (file.clone(), targets.keys().cloned().collect()))
            .collect();
        let shown = |f: &PathBuf| f.strip_prefix(&root).unwrap().display().to_string();
        for circle in strongly_connected(&graph) {
            let mut ties = Vec::new();
            for from in &circle {
                for (to, names) in &edges[from] {
                    if circle.contains(to) {
                        let names: Vec<&str> = names.iter().map(String::as_str).collect();
                        ties.push(format!(
                            "  {} -> {}: {}",
                            shown(from),
                            shown(to),
                            names.join(", ")
                        ));
                    }
                }
            }
            circles.push(ties.join("\n"));
        }
        assert!(
            edges.len() > 5,
            "{krate}: the imports are read ({} files import others)",
            edges.len()
        );
    }
    assert!(
        circles.is_empty(),
        "files that import each other, and the names that tie them:\n{}",
        circles.join("\n\n")
    );
}

/// The groups of two or more files that reach each other (Tarjan).
fn strongly_connected(edges: &BTreeMap<PathBuf, BTreeSet<PathBuf>>) -> Vec<Vec<PathBuf>> {
    struct Walk<'a> {
        edges: &'a BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        index: BTreeMap<&'a PathBuf, usize>,
        low: BTreeMap<&'a PathBuf, usize>,
        stack: Vec<&'a PathBuf>,
        found: Vec<Vec<PathBuf>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, v: &'a PathBuf) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            for w in self.edges.get(v).into_iter().flatten() {
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w]);
                    self.low.insert(v, low);
                } else if self.stack.contains(&w) {
                    let low = self.low[v].min(self.index[w]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let at = self.stack.iter().position(|f| *f == v).unwrap();
                let group: Vec<PathBuf> = self.stack.drain(at..).cloned().collect();
                if group.len() > 1 {
                    self.found.push(group);
                }
            }
        }
    }
    let mut walk = Walk {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for v in edges.keys() {
        if !walk.index.contains_key(v) {
            walk.visit(v);
        }
    }
    walk.found
}
