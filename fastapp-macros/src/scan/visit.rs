//! The walk over one file: each item, path, macro and attribute, with the
//! names in scope (rustc's rules, as far as the scan can see them).

use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};

use super::names::{expression_arguments, generic_names, item_names, model_table, path_attr};
use super::{FindingKind, Walker};

impl<'ast> Visit<'ast> for Walker<'_, '_> {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        for attr in &item.attrs {
            self.visit_attribute(attr);
        }
        self.check_use_tree(&mut Vec::new(), None, &item.tree, item.leading_colon.is_some());
    }

    fn visit_item_extern_crate(&mut self, item: &'ast syn::ItemExternCrate) {
        if let Some(krate) = self.input.external.get(&item.ident.unraw().to_string()) {
            self.report(FindingKind::External { krate: krate.clone() }, item.span());
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path
            .segments
            .iter()
            .map(|s| s.ident.unraw().to_string())
            .collect();
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
        if mac.path.is_ident("macro_rules") {
            // A definition: rustc resolves its paths where it expands.
            return;
        }
        self.check_private_api_tokens(&mac.tokens);
        // Arguments of the standard library's expression macros are
        // expressions of this scope; any other macro's may mean anything.
        if let Some(exprs) = expression_arguments(mac) {
            for expr in &exprs {
                self.visit_expr(expr);
            }
        }
    }

    fn visit_meta_list(&mut self, list: &'ast syn::MetaList) {
        self.visit_path(&list.path);
        self.check_private_api_tokens(&list.tokens);
        if list.path.is_ident("derive") {
            let parser = syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated;
            if let Ok(paths) = syn::parse::Parser::parse2(parser, list.tokens.clone()) {
                for path in &paths {
                    self.visit_path(path);
                }
            }
        }
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        for attr in &item.attrs {
            self.visit_attribute(attr);
        }
        let private = match &item.vis {
            syn::Visibility::Inherited => true,
            syn::Visibility::Restricted(r) => r.path.is_ident("self"),
            syn::Visibility::Public(_) => false,
        };
        if self.input.app_boundary
            && self.module_path.len() == self.out.root_len
            && item.ident != "api"
            && !private
        {
            let module = item.ident.unraw().to_string();
            self.report(FindingKind::PublicModule { module }, item.span());
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
                let saved_scopes =
                    std::mem::replace(&mut self.scopes, vec![item_names(items, self.input.external)]);
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
                syn::Stmt::Macro(stmt) => Some(syn::Item::Macro(syn::ItemMacro {
                    attrs: Vec::new(),
                    ident: None,
                    mac: stmt.mac.clone(),
                    semi_token: stmt.semi_token,
                })),
                _ => None,
            })
            .collect();
        let names = item_names(&items, self.input.external);
        self.scoped(names, |walker| visit::visit_block(walker, block));
    }

    // Generic type parameters hide crates of the same name in the item they
    // belong to (signature, bounds and body).
    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        self.scoped(generic_names(&item.sig.generics), |w| {
            visit::visit_item_fn(w, item)
        });
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        self.scoped(generic_names(&item.sig.generics), |w| {
            visit::visit_impl_item_fn(w, item)
        });
    }

    fn visit_trait_item_fn(&mut self, item: &'ast syn::TraitItemFn) {
        self.scoped(generic_names(&item.sig.generics), |w| {
            visit::visit_trait_item_fn(w, item)
        });
    }

    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        self.scoped(generic_names(&item.generics), |w| visit::visit_item_impl(w, item));
    }

    fn visit_item_trait(&mut self, item: &'ast syn::ItemTrait) {
        self.scoped(generic_names(&item.generics), |w| {
            visit::visit_item_trait(w, item)
        });
    }

    fn visit_item_struct(&mut self, item: &'ast syn::ItemStruct) {
        self.out.own_tables.extend(model_table(&item.attrs));
        self.scoped(generic_names(&item.generics), |w| {
            visit::visit_item_struct(w, item)
        });
    }

    fn visit_item_enum(&mut self, item: &'ast syn::ItemEnum) {
        self.scoped(generic_names(&item.generics), |w| visit::visit_item_enum(w, item));
    }

    fn visit_item_union(&mut self, item: &'ast syn::ItemUnion) {
        self.scoped(generic_names(&item.generics), |w| {
            visit::visit_item_union(w, item)
        });
    }

    fn visit_item_type(&mut self, item: &'ast syn::ItemType) {
        self.scoped(generic_names(&item.generics), |w| visit::visit_item_type(w, item));
    }

    fn visit_impl_item_type(&mut self, item: &'ast syn::ImplItemType) {
        self.scoped(generic_names(&item.generics), |w| {
            visit::visit_impl_item_type(w, item)
        });
    }

    fn visit_trait_item_type(&mut self, item: &'ast syn::TraitItemType) {
        self.scoped(generic_names(&item.generics), |w| {
            visit::visit_trait_item_type(w, item)
        });
    }
}
