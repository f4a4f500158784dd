//! `project!()`: the project's entry point. It bakes `fastapp.toml` and the
//! shared migrations into the binary and refers to the link package's list
//! of external apps (`link!()`), so none can silently fail to link, while
//! the project package itself depends on no external app.

use std::path::{Path, PathBuf};

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};

use crate::diag::{self, Diagnostic, Rule};
use crate::source::Project;

pub fn expand(input: TokenStream, file: Option<PathBuf>) -> syn::Result<TokenStream> {
    let span = Span::call_site();
    if !input.is_empty() {
        return Err(syn::Error::new_spanned(
            input,
            "project!() takes no arguments; it reads fastapp.toml",
        ));
    }
    // Parse. The one place a fastapp.toml that does not parse is reported
    // (each #[internal_app] leaves it to this).
    let project = Project::find(file.as_deref()).map_err(|msg| syn::Error::new(span, msg))?;
    let package = crate::source::Package::current(&project.root, span, "the project's")?;

    // Check: no external app is a dependency of the project package (in any
    // dependency table: a dev-dependency would open the door to
    // `#[cfg(test)]` code), and the link package links them instead.
    let mut errors: Vec<syn::Error> = package
        .dependencies
        .iter()
        .filter(|dep| project.external.contains(&dep.crate_name))
        .map(|dep| external_in_project(&project, &package, dep).into_error(span))
        .collect();
    let link_crate = format!("{}_link", package.name.replace('-', "_"));
    let link = package
        .dependencies
        .iter()
        .find(|dep| dep.crate_name == link_crate)
        .map(|dep| format_ident!("{}", dep.extern_name));
    if link.is_none() && !project.external.is_empty() {
        errors.push(no_link_package(&project, &package).into_error(span));
    }
    if let Some(file) = &file {
        errors.extend(core_uses_external(&project, file, span)?);
    }
    diag::combine(errors)?;

    expand_project(&project, link, span)
}

/// `link.E026`: an external app is a dependency of the project package.
fn external_in_project(
    project: &Project,
    package: &crate::source::Package,
    dep: &fastapp_config::manifest::Dependency,
) -> Diagnostic {
    let (krate, name) = (&dep.crate_name, &package.name);
    let (shown_config, shown_manifest) = (
        project.display(&project.config_path),
        project.display(&package.manifest),
    );
    Diagnostic {
        rule: Rule::ExternalInProject,
        what: format!("external app `{krate}` is a dependency of the project package `{name}`"),
        location: Some(format!("{shown_manifest}: `{}`", dep.extern_name.replace('_', "-"))),
        why: format!(
            "core and internal apps may never use an external app, so the project package does not depend on one (not even as a dev-dependency): the link package `{name}-link` does, and no reference from the project can resolve (`{krate}` is listed as an external app in {shown_config})"
        ),
        fix: format!(
            "move the `{krate}` dependency from {shown_manifest} to link/Cargo.toml (the link package's [dependencies]); tests that need `{krate}`'s items belong in `{krate}` itself"
        ),
    }
}

/// `link.E027`: external apps are listed, and the project has no link package.
fn no_link_package(project: &Project, package: &crate::source::Package) -> Diagnostic {
    let name = &package.name;
    let (shown_config, shown_manifest) = (
        project.display(&project.config_path),
        project.display(&package.manifest),
    );
    let listed = project.external.join("`, `");
    Diagnostic {
        rule: Rule::NoLinkPackage,
        what: format!("{shown_config} lists external apps (`{listed}`) but package `{name}` has no link package"),
        location: Some(format!("{shown_manifest}: [dependencies]")),
        why: "external apps are linked into the binary through the project's link package `<project>-link` (link/), which depends on them; the project package depends on the link package only, so core and internal apps cannot name an external app".into(),
        fix: format!(
            "create link/Cargo.toml (`[package] name = \"{name}-link\"`, [dependencies] fastapp-core and each external app) and link/src/lib.rs holding `fastapp_core::link!();`, then add `{name}-link = {{ path = \"link\" }}` under [dependencies] in {shown_manifest}"
        ),
    }
}

/// `pub static PROJECT`: fastapp.toml, the shared migrations (embedded),
/// diesel.toml's `except_tables` and the link package's external apps.
fn expand_project(project: &Project, link: Option<syn::Ident>, span: Span) -> syn::Result<TokenStream> {
    let diesel = fastapp_config::diesel::DieselToml::read(&project.root).map_err(|msg| {
        diag::config_error(
            span,
            msg,
            "make diesel.toml readable, valid TOML (or remove it for diesel's defaults)",
        )
    })?;
    let migrations_dir = diesel.migrations_dir;
    let except_tables = diesel.except_tables;
    let shown_migrations = project.display(&migrations_dir);
    let migrations = crate::migrations::embed(&migrations_dir, &shown_migrations, span)?;
    let shown_config = project.display(&project.config_path);
    let config_path = project.config_path.display().to_string();
    // Editing diesel.toml (its except_tables are baked in) rebuilds the project.
    let diesel_toml = project.root.join("diesel.toml");
    let track_diesel = diesel_toml
        .is_file()
        .then(|| diesel_toml.display().to_string())
        .into_iter();
    let root = project.root.display().to_string();
    let external_apps = match link {
        Some(link) => quote!(::#link::EXTERNAL_APPS),
        None => quote!(&[]),
    };
    Ok(quote! {
        /// This project, as fastapp knows it: `fastapp.toml`, the shared
        /// migrations and the external apps, baked in by `project!()`.
        pub static PROJECT: ::fastapp_core::Project = ::fastapp_core::Project {
            crate_name: ::core::env!("CARGO_CRATE_NAME"),
            version: ::core::env!("CARGO_PKG_VERSION"),
            config_file: #shown_config,
            config: ::core::include_str!(#config_path),
            source_root: #root,
            migrations: #migrations,
            external_apps: #external_apps,
            diesel_except_tables: &[#(#except_tables),*],
        };
        #(const _: &[u8] = ::core::include_bytes!(#track_diesel);)*
    })
}

/// `isolation.E037`: core — every module the entry point declares except
/// `apps`, with all their files — names no external app crate. Internal apps
/// may use core, so an external app reachable through core (a re-export, a
/// public signature, a wrapper) would be an isolation hole. The entry point
/// itself (the file with `project!()`) may name external apps.
fn core_uses_external(project: &Project, entry: &Path, span: Span) -> syn::Result<Vec<syn::Error>> {
    let text = std::fs::read_to_string(entry)
        .map_err(|err| syn::Error::new(span, format!("fastapp: cannot read {}: {err}", entry.display())))?;
    let ast = crate::source::with_line_spans(|| crate::source::parse_file(&text))
        .map_err(|msg| syn::Error::new(span, format!("fastapp: cannot parse {}: {msg}", entry.display())))?;
    let dir = entry.parent().unwrap_or(Path::new("."));
    let external = project.external_names();
    let input = crate::scan::ScanInput {
        app: "core",
        external: &external,
        forbid_private_api: false,
        app_boundary: false,
        schema_module: None,
    };
    let mut errors = Vec::new();
    for item in &ast.items {
        let syn::Item::Mod(module) = item else { continue };
        if module.ident == "apps" || module.content.is_some() {
            continue;
        }
        let name = module.ident.to_string();
        let file = match crate::scan::path_attr(&module.attrs) {
            Some(path) => dir.join(path),
            None if dir.join(format!("{name}.rs")).is_file() => dir.join(format!("{name}.rs")),
            None => dir.join(&name).join("mod.rs"),
        };
        let file = crate::source::normalize(&file);
        let scan = crate::scan::scan(&input, &file, vec![name]).map_err(|msg| syn::Error::new(span, msg))?;
        for finding in scan.findings {
            let crate::scan::FindingKind::External { krate } = finding.kind else {
                // Core owns the shared schema: its `table!`s are the point.
                continue;
            };
            errors.push(
                Diagnostic {
                    rule: Rule::CoreUsesExternal,
                    what: format!("core uses external app `{krate}`"),
                    location: Some(format!(
                        "{}:{}:{}: `{}`",
                        project.display(&finding.file),
                        finding.line,
                        finding.column,
                        finding.snippet
                    )),
                    why: format!(
                        "core is shared by every internal app, so an external app reachable through core would let internal apps use it; \
                         no code of the project package names an external app: only its link package depends on them (`{krate}` is listed as an external app in {})",
                        project.display(&project.config_path)
                    ),
                    fix: format!(
                        "remove this reference to `{krate}` from core: let `{krate}` do that work behind its own routes, or move the code into `{krate}`"
                    ),
                }
                .into_error(span),
            );
        }
    }
    Ok(errors)
}

/// A `PROJECT` for a build that already failed with a project error, so
/// that `main`'s use of it adds no error of rustc's own.
pub fn placeholder() -> TokenStream {
    quote::quote! {
        #[doc(hidden)]
        #[allow(dead_code)]
        pub static PROJECT: ::fastapp_core::Project = ::fastapp_core::Project {
            crate_name: "",
            version: "",
            config_file: "",
            config: "",
            source_root: "",
            migrations: &[],
            external_apps: &[],
            diesel_except_tables: &[],
        };
    }
}
