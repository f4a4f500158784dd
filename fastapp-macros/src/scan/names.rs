//! What a name means where the scan meets it: the items, `use`s and
//! generic parameters that bind it, and the macros whose arguments are code.

use std::collections::{BTreeMap, HashMap};

use syn::ext::IdentExt;

/// What a name at the start of a path means in a scope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Binding {
    /// An item, import or generic parameter of the project's own: it hides
    /// any crate of that name.
    Local,
    /// Another name for an external app crate (`extern crate x as y`,
    /// `use x as y`).
    External(String),
}

/// The type parameters of `generics`: they are in the type namespace, where
/// a path's first segment is looked up (const parameters and lifetimes are
/// not, so they hide no crate).
pub(super) fn generic_names(generics: &syn::Generics) -> HashMap<String, Binding> {
    generics
        .params
        .iter()
        .filter_map(|param| match param {
            syn::GenericParam::Type(t) => Some(t.ident.unraw().to_string()),
            syn::GenericParam::Const(_) | syn::GenericParam::Lifetime(_) => None,
        })
        .map(|name| (name, Binding::Local))
        .collect()
}

/// The value of a `#[path = "..."]` attribute.
pub fn path_attr(attrs: &[syn::Attribute]) -> Option<String> {
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
/// they hide crates of the same name (the first segment of `a::b` is looked
/// up there, so a `fn newsletter` or a `macro_rules! newsletter` does not),
/// except where they are other names for an external app crate
/// (`extern crate newsletter as news;`, `use newsletter as news;`).
pub(super) fn item_names(
    items: &[syn::Item],
    external: &BTreeMap<String, String>,
) -> HashMap<String, Binding> {
    let mut names = HashMap::new();
    for item in items {
        let ident = match item {
            syn::Item::Enum(i) => Some(&i.ident),
            syn::Item::Mod(i) => Some(&i.ident),
            syn::Item::Struct(i) => Some(&i.ident),
            syn::Item::Trait(i) => Some(&i.ident),
            syn::Item::TraitAlias(i) => Some(&i.ident),
            syn::Item::Type(i) => Some(&i.ident),
            syn::Item::Union(i) => Some(&i.ident),
            syn::Item::ExternCrate(i) => {
                let krate = external.get(&i.ident.unraw().to_string());
                match (&i.rename, krate) {
                    (Some((_, rename)), Some(krate)) => {
                        names.insert(rename.unraw().to_string(), Binding::External(krate.clone()));
                        None
                    }
                    (Some((_, rename)), None) => Some(rename),
                    (None, _) => None,
                }
            }
            syn::Item::Use(i) => {
                use_bindings(&i.tree, &mut Vec::new(), external, &mut names);
                None
            }
            // A macro called here may declare any name: the scan cannot
            // know, so it does not reject (rustc still resolves the name).
            syn::Item::Macro(i) if i.ident.is_none() && may_declare_items(&i.mac, external) => {
                names.insert(LOCAL_GLOB.to_string(), Binding::Local);
                None
            }
            _ => None,
        };
        if let Some(ident) = ident {
            names.insert(ident.unraw().to_string(), Binding::Local);
        }
    }
    names
}

/// Names a `use` binds. `use x;` binds a crate to its own name (no change);
/// `use newsletter as news;` and `use newsletter::{self as news}` make
/// `news` another name for the crate; anything else a `use` binds is local.
pub(super) fn use_bindings(
    tree: &syn::UseTree,
    prefix: &mut Vec<String>,
    external: &BTreeMap<String, String>,
    names: &mut HashMap<String, Binding>,
) {
    let crate_of = |path: &[String]| match path {
        [only] => external.get(only).cloned(),
        _ => None,
    };
    match tree {
        syn::UseTree::Path(path) => {
            prefix.push(path.ident.unraw().to_string());
            use_bindings(&path.tree, prefix, external, names);
            prefix.pop();
        }
        syn::UseTree::Name(name) => {
            let ident = name.ident.unraw().to_string();
            if ident == "self" {
                // `use a::b::{self}` binds `b`.
                if let Some(last) = prefix.last() {
                    let binding = crate_of(prefix).map_or(Binding::Local, Binding::External);
                    names.insert(last.clone(), binding);
                }
            } else if !prefix.is_empty() {
                names.insert(ident, Binding::Local);
            }
        }
        syn::UseTree::Rename(rename) => {
            let ident = rename.ident.unraw().to_string();
            let mut path = prefix.clone();
            if ident != "self" {
                path.push(ident);
            }
            let binding = crate_of(&path).map_or(Binding::Local, Binding::External);
            names.insert(rename.rename.unraw().to_string(), binding);
        }
        syn::UseTree::Group(group) => group
            .items
            .iter()
            .for_each(|t| use_bindings(t, prefix, external, names)),
        syn::UseTree::Glob(_) => {
            // A glob from inside the crate, or from another crate, may bind
            // a module of any name, which then hides a crate of that name
            // here; but the standard library's modules and diesel's prelude
            // (traits, types, macros: no lower-case type-namespace name)
            // are known not to be app names.
            let known = match prefix.as_slice() {
                [first, ..] if matches!(first.as_str(), "std" | "core" | "alloc") => true,
                [diesel, prelude] => diesel == "diesel" && prelude == "prelude",
                _ => false,
            };
            if !known {
                names.insert(LOCAL_GLOB.to_string(), Binding::Local);
            }
        }
    }
}

/// The arguments of a standard-library macro whose arguments are
/// expressions of the calling scope (`println!`, `vec!`, `assert_eq!`, …),
/// parsed; `None` for any other macro, or arguments that do not parse.
pub(super) fn expression_arguments(mac: &syn::Macro) -> Option<Vec<syn::Expr>> {
    let name = mac.path.segments.last()?.ident.to_string();
    let in_std = mac.path.segments.len() == 1
        || matches!(
            mac.path.segments.first()?.ident.to_string().as_str(),
            "std" | "core" | "alloc"
        );
    if !in_std || !EXPRESSION_MACROS.contains(&name.as_str()) {
        return None;
    }
    let parser = syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated;
    let exprs = syn::parse::Parser::parse2(parser, mac.tokens.clone()).ok()?;
    Some(exprs.into_iter().collect())
}

/// Macros whose arguments are expressions, comma-separated.
pub(super) const EXPRESSION_MACROS: &[&str] = &[
    "assert",
    "assert_eq",
    "assert_ne",
    "dbg",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "eprint",
    "eprintln",
    "format",
    "format_args",
    "panic",
    "print",
    "println",
    "todo",
    "unimplemented",
    "unreachable",
    "vec",
    "write",
    "writeln",
];

/// Whether a macro called at item or statement position may declare items
/// the scan cannot see: any macro but the expression macros above, and but
/// a macro of an external app crate (`newsletter::magic!()`, itself
/// reported: its expansion cannot declare the module its own path names).
pub(super) fn may_declare_items(mac: &syn::Macro, external: &BTreeMap<String, String>) -> bool {
    let of_external =
        mac.path.segments.len() > 1 && external.contains_key(&mac.path.segments[0].ident.unraw().to_string());
    !mac.path.is_ident("macro_rules") && !of_external && expression_arguments(mac).is_none()
}

/// The table of a `#[model(table = ...)]` / `#[fastapp_core::model(...)]`
/// attribute among `attrs` (the last segment of its path).
pub fn model_table(attrs: &[syn::Attribute]) -> Option<String> {
    let attr = attrs.iter().find(|attr| {
        let segments: Vec<String> = attr.path().segments.iter().map(|s| s.ident.to_string()).collect();
        matches!(segments.as_slice(), [m] if m == "model")
            || matches!(segments.as_slice(), [c, m] if c == "fastapp_core" && m == "model")
    })?;
    let mut table = None;
    attr.parse_nested_meta(|meta| {
        if meta.path.is_ident("table") {
            let path: syn::Path = meta.value()?.parse()?;
            table = path.segments.last().map(|s| s.ident.unraw().to_string());
        } else if meta.input.peek(syn::Token![=]) {
            let _: syn::Expr = meta.value()?.parse()?;
        }
        Ok(())
    })
    .ok()?;
    table
}

/// The scope key marking what may bind any name: a glob import (`use
/// self::x::*;`, `use diesel::prelude::*;`) or a macro called at item or
/// statement position.
pub(super) const LOCAL_GLOB: &str = "*";
