//! `#[external_app]`: registers an external app crate with its manifest
//! (`[package.metadata.fastapp]` of its `Cargo.toml`) and embedded migrations.

use std::path::{Path, PathBuf};

use proc_macro2::{Span, TokenStream};

use crate::app::{self, AppArgs, Entry};

pub fn expand(args: TokenStream, input: TokenStream, file: Option<PathBuf>) -> syn::Result<TokenStream> {
    let args = AppArgs::parse(args, true)?;
    let func: syn::ItemFn = syn::parse2(input)?;
    app::check_register(&func)?;
    let span = Span::call_site();

    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .map_err(|_| syn::Error::new(span, "fastapp: #[external_app] must be compiled by cargo"))?;
    let manifest_path = manifest_dir.join("Cargo.toml");
    let metadata = fastapp_config::manifest::app_metadata(&manifest_path).map_err(|msg| {
        crate::diag::config_error(
            span,
            msg,
            "use only `name = \"...\"`, `prefix = \"/...\"` and `migrations = \"<dir>\"`",
        )
    })?;
    let setting = |arg: &Option<syn::LitStr>, from_manifest: &Option<String>| {
        arg.as_ref()
            .map(syn::LitStr::value)
            .or_else(|| from_manifest.clone())
    };

    let name = setting(&args.name, &metadata.name)
        .or_else(|| std::env::var("CARGO_CRATE_NAME").ok())
        .unwrap_or_default();
    app::check_name(&name, span, "the app name of an external app crate")?;
    let prefix = setting(&args.prefix, &metadata.prefix);
    if let Some(prefix) = &prefix {
        app::check_prefix(&syn::LitStr::new(prefix, span))?;
    }
    if setting(&args.migrations, &metadata.migrations).is_some_and(|dir| !manifest_dir.join(&dir).is_dir()) {
        return Err(crate::diag::config_error(
            span,
            format!(
                "the migrations directory configured for app `{name}` does not exist under {}",
                manifest_dir.display()
            ),
            "create it, or remove `migrations = ...` to use `migrations/`",
        ));
    }
    let migrations_dir =
        setting(&args.migrations, &metadata.migrations).unwrap_or_else(|| "migrations".into());
    // Check: the crate (its module tree from this file) uses the public API only.
    if let Some(file) = &file {
        if let Err(err) = uses_public_api_only(&name, file, &manifest_dir, span) {
            let errors = err.into_compile_error();
            return Ok(quote::quote!(#func #errors));
        }
    }
    let migrations = crate::migrations::embed(
        &manifest_dir.join(&migrations_dir),
        &format!("{}/{migrations_dir}", name),
        span,
    )?;

    Ok(Entry {
        name: &name,
        external: true,
        prefix,
        func: &func,
        depends_on: Vec::new(),
        migrations,
        tracked: vec![manifest_path.display().to_string()],
    }
    .expand())
}

/// `isolation.E008` for each use of `fastapp_core::__private` in the crate's
/// module tree from `file` (the crate's `table!`s are its own schema: only
/// the API rule applies to an external app).
fn uses_public_api_only(name: &str, file: &Path, manifest_dir: &Path, span: Span) -> syn::Result<()> {
    // Paths in messages are relative to the crate holding the file.
    let crate_root = file
        .ancestors()
        .skip(1)
        .find(|dir| dir.join("Cargo.toml").is_file())
        .unwrap_or(manifest_dir)
        .to_path_buf();
    let external = std::collections::BTreeMap::new();
    let input = crate::scan::ScanInput {
        app: name,
        external: &external,
        forbid_private_api: true,
        app_boundary: false,
        schema_module: None,
    };
    let scan = crate::scan::scan(&input, file, Vec::new()).map_err(|msg| syn::Error::new(span, msg))?;
    let errors = scan
        .findings
        .iter()
        .filter(|f| matches!(f.kind, crate::scan::FindingKind::PrivateApi))
        .map(|f| {
            let location = format!(
                "{}:{}:{}: `{}`",
                crate::source::display_path(&f.file, &crate_root),
                f.line,
                f.column,
                f.snippet
            );
            crate::diag::private_api(name, location).into_error(span)
        })
        .collect();
    crate::diag::combine(errors)
}
