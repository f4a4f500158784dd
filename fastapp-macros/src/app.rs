//! What `#[internal_app]` and `#[external_app]` share: their arguments, the
//! check of the `register` function, and the registry entry they expand to.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};

use crate::diag::{Diagnostic, Rule};

/// `#[internal_app(name = "...", prefix = "...")]` /
/// `#[external_app(name = "...", prefix = "...", migrations = "...")]`.
#[derive(Default)]
pub struct AppArgs {
    pub name: Option<syn::LitStr>,
    pub prefix: Option<syn::LitStr>,
    pub migrations: Option<syn::LitStr>,
}

impl AppArgs {
    pub fn parse(args: TokenStream, allow_migrations: bool) -> syn::Result<AppArgs> {
        let mut out = AppArgs::default();
        let parser = syn::meta::parser(|meta| {
            if meta.path.is_ident("name") {
                out.name = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("prefix") {
                out.prefix = Some(meta.value()?.parse()?);
            } else if allow_migrations && meta.path.is_ident("migrations") {
                out.migrations = Some(meta.value()?.parse()?);
            } else {
                let allowed = if allow_migrations {
                    "`name`, `prefix`, `migrations`"
                } else {
                    "`name`, `prefix`"
                };
                return Err(meta.error(format!("unknown argument; expected one of {allowed}")));
            }
            Ok(())
        });
        syn::parse::Parser::parse2(parser, args)?;
        if let Some(prefix) = &out.prefix {
            check_prefix(prefix)?;
        }
        Ok(out)
    }
}

/// `app.E006` for a prefix that [`fastapp_config::is_prefix`] rejects.
pub fn check_prefix(prefix: &syn::LitStr) -> syn::Result<()> {
    let value = prefix.value();
    if fastapp_config::is_prefix(&value) {
        return Ok(());
    }
    Err(Diagnostic {
        rule: Rule::InvalidAppName,
        what: format!("invalid prefix `{value}`"),
        location: crate::source::call_site_location(),
        why: fastapp_config::PREFIX_RULE.into(),
        fix: format!("write `prefix = \"{}\"`", fastapp_config::suggest_prefix(&value)),
    }
    .into_error(prefix.span()))
}

/// Rejects app names that are not `[a-z][a-z0-9_]*`.
pub fn check_name(name: &str, span: Span, origin: &str) -> syn::Result<()> {
    if crate::source::is_app_name(name) {
        return Ok(());
    }
    Err(Diagnostic {
        rule: Rule::InvalidAppName,
        what: format!("invalid app name `{name}` ({origin})"),
        location: None,
        why: "app names are lower-case Rust identifiers: `[a-z][a-z0-9_]*`".into(),
        fix: format!(
            "rename the app to `{}`",
            name.to_lowercase()
                .replace(|c: char| !c.is_ascii_alphanumeric(), "_")
        ),
    }
    .into_error(span))
}

/// The `register` function must be a plain `fn(&mut AppContext) -> R`.
pub fn check_register(func: &syn::ItemFn) -> syn::Result<()> {
    let sig = &func.sig;
    let problem = if sig.asyncness.is_some() {
        Some("must not be `async` (register runs once at start-up; spawn work from a start-up hook)")
    } else if !sig.generics.params.is_empty() {
        Some("must not be generic")
    } else if sig.inputs.len() != 1 {
        Some("must take exactly one argument, `ctx: &mut fastapp_core::AppContext`")
    } else {
        None
    };
    match problem {
        Some(problem) => Err(syn::Error::new_spanned(
            sig,
            crate::diag::Diagnostic {
                rule: crate::diag::Rule::RegisterSignature,
                what: format!("the app's register function {problem}"),
                location: None,
                why: String::new(),
                fix: "write `pub fn register(ctx: &mut AppContext) -> Option<Router>`".into(),
            }
            .render(),
        )),
        None => Ok(()),
    }
}

/// Everything a registry entry records.
pub struct Entry<'a> {
    pub name: &'a str,
    pub external: bool,
    pub prefix: Option<String>,
    pub func: &'a syn::ItemFn,
    pub depends_on: Vec<String>,
    pub migrations: TokenStream,
    /// Files whose edits must re-run the macro.
    pub tracked: Vec<String>,
}

impl Entry<'_> {
    pub fn expand(&self) -> TokenStream {
        let func = self.func;
        let ident = &func.sig.ident;
        let name = self.name;
        // An external app's entry has a fixed public name at its crate root,
        // so that `project!()` can refer to it and force the crate to link.
        let (vis, static_ident) = if self.external {
            (quote!(pub), format_ident!("__FASTAPP_EXTERNAL_APP"))
        } else {
            (quote!(), format_ident!("__FASTAPP_APP_{}", name.to_uppercase()))
        };
        let kind = if self.external {
            quote!(::fastapp_core::registry::AppKind::External)
        } else {
            quote!(::fastapp_core::registry::AppKind::Internal)
        };
        let prefix = match &self.prefix {
            Some(prefix) => quote!(::core::option::Option::Some(#prefix)),
            None => quote!(::core::option::Option::None),
        };
        let depends_on = &self.depends_on;
        let migrations = &self.migrations;
        let tracked = &self.tracked;
        // An external app's own tests boot it alone, as a project that
        // lists only it (the test kit's `TestApp::boot(&crate::TEST_PROJECT)`).
        let test_project = self.external.then(|| {
            quote! {
                /// This app alone, as a project that lists only it: what the
                /// crate's own tests boot with `fastapp_core::testing::TestApp`.
                #[cfg(test)]
                #[allow(dead_code)]
                pub(crate) static TEST_PROJECT: ::fastapp_core::Project = ::fastapp_core::Project {
                    crate_name: ::core::env!("CARGO_CRATE_NAME"),
                    version: ::core::env!("CARGO_PKG_VERSION"),
                    config_file: "(the app's TEST_PROJECT)",
                    config: ::core::concat!("apps = [\"", ::core::env!("CARGO_CRATE_NAME"), "\"]"),
                    source_root: ::core::env!("CARGO_MANIFEST_DIR"),
                    migrations: &[],
                    external_apps: &[&#static_ident],
                    diesel_except_tables: &[],
                };
            }
        });
        quote! {
            #func

            #[doc(hidden)]
            #[::fastapp_core::__private::linkme::distributed_slice(::fastapp_core::__private::APPS)]
            #[linkme(crate = ::fastapp_core::__private::linkme)]
            #vis static #static_ident: ::fastapp_core::registry::AppEntry = ::fastapp_core::registry::AppEntry {
                name: #name,
                kind: #kind,
                default_prefix: #prefix,
                register: {
                    fn __fastapp_register(
                        ctx: &mut ::fastapp_core::AppContext,
                    ) -> ::fastapp_core::registry::RegisterResult {
                        ::fastapp_core::registry::IntoRegistration::into_registration(#ident(ctx))
                    }
                    __fastapp_register
                },
                depends_on: &[#(#depends_on),*],
                migrations: #migrations,
                crate_name: ::core::env!("CARGO_CRATE_NAME"),
                location: ::fastapp_core::registry::Location {
                    file: ::core::file!(),
                    line: ::core::line!(),
                },
            };

            #(const _: &[u8] = ::core::include_bytes!(#tracked);)*

            #test_project
        }
    }
}
