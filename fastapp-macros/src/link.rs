//! `link!()`: the whole body of a project's link package, the one package
//! that depends on the external apps. The project package depends on it and
//! on no external app, so no code of core or of an internal app can name an
//! external app: rustc cannot resolve the name (a boundary by construction).

use std::path::PathBuf;

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};

use crate::diag::{self, Diagnostic, Rule};
use crate::source::Project;

pub fn expand(input: TokenStream, file: Option<PathBuf>) -> syn::Result<TokenStream> {
    let span = Span::call_site();
    if !input.is_empty() {
        return Err(syn::Error::new_spanned(
            input,
            "link!() takes no arguments; it reads the project's fastapp.toml",
        ));
    }
    let project = Project::find(file.as_deref()).map_err(|msg| syn::Error::new(span, msg))?;
    let crate::source::Package {
        name: package,
        manifest: manifest_path,
        dependencies,
    } = crate::source::Package::current(&project.root.join("link"), span, "the link package's")?;
    let shown_config = project.display(&project.config_path);
    let shown_manifest = project.display(&manifest_path);

    // Check: every listed external app is a dependency of this package.
    let mut errors = Vec::new();
    let mut externals = Vec::new();
    for krate in &project.external {
        match dependencies.iter().find(|dep| dep.crate_name == *krate) {
            Some(dep) => externals.push(format_ident!("{}", dep.extern_name)),
            None => errors.push(
                Diagnostic {
                    rule: Rule::ListedAppNotDependency,
                    what: format!(
                        "external app `{krate}` is listed in {shown_config} but is not a dependency of the link package `{package}`"
                    ),
                    location: Some(format!(
                        "{shown_config}:{}: `apps = [..., \"{krate}\", ...]`",
                        project.config_line_of(krate)
                    )),
                    why: "the link package depends on every external app in `apps`, so that its registry entry is linked into the binary (the project package itself never depends on one)".into(),
                    fix: format!(
                        "add `{krate} = {{ path = \"../{krate}\" }}` (or `\"<version>\"`) under [dependencies] in {shown_manifest}, or remove `\"{krate}\"` from `apps` in {shown_config}"
                    ),
                }
                .into_error(span),
            ),
        }
    }
    diag::combine(errors)?;

    // Expand.
    let config_path = project.config_path.display().to_string();
    Ok(quote! {
        /// The external apps listed in `fastapp.toml`, in order: what
        /// `project!()` links into the binary. Nothing else of an external
        /// app is reachable from the project package.
        #[doc(hidden)]
        pub const EXTERNAL_APPS: &[&::fastapp_core::registry::AppEntry] =
            &[#(&::#externals::__FASTAPP_EXTERNAL_APP),*];
        const _: &[u8] = ::core::include_bytes!(#config_path);
    })
}
