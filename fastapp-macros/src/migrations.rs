//! Embeds a diesel-style migrations directory (`<version>_<name>/up.sql`,
//! `down.sql`, optional `metadata.toml`) as `fastapp_core::migrate::Migration`
//! values, keeping their SQL (diesel's own `embed_migrations!` does not
//! expose it). Every file is pulled in with `include_str!`, so editing one
//! rebuilds the crate; a *new* directory needs `cargo:rerun-if-changed` on the
//! migrations directory in the crate's `build.rs`.

use std::path::Path;

use proc_macro2::{Span, TokenStream};
use quote::quote;

use crate::diag::{Diagnostic, Rule};

/// Tokens of a `&'static [Migration]` for `dir`; a missing directory is an
/// empty list.
pub fn embed(dir: &Path, shown_dir: &str, span: Span) -> syn::Result<TokenStream> {
    if !dir.is_dir() {
        return Ok(quote!(&[]));
    }
    let bad_at = |at: &str, what: String, fix: &str| {
        Diagnostic {
            rule: Rule::BadMigration,
            what,
            location: Some(if at.is_empty() { shown_dir.to_string() } else { format!("{shown_dir}/{at}") }),
            why: "a migration is a directory `<version>_<name>` holding `up.sql`, an optional `down.sql` and an optional `metadata.toml` with `run_in_transaction = <bool>`".into(),
            fix: fix.into(),
        }
        .into_error(span)
    };
    let bad = |what: String, fix: &str| bad_at("", what, fix);
    let mut dirs: Vec<_> = std::fs::read_dir(dir)
        .map_err(|err| {
            bad(
                format!("cannot read migrations directory: {err}"),
                "check the directory's permissions",
            )
        })?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .filter(|path| !file_name(path).starts_with('.'))
        .collect();
    dirs.sort();
    let mut migrations = Vec::new();
    let mut versions: Vec<(String, String)> = Vec::new();
    for path in dirs {
        let name = file_name(&path);
        let bad = |what: String, fix: &str| bad_at(&name, what, fix);
        let version = version_of(&name, &versions, &bad)?;
        versions.push((version.clone(), name.clone()));
        migrations.push(migration(&path, &name, &version, &bad)?);
    }
    Ok(quote!(&[#(#migrations),*]))
}

/// The version of migration directory `name` (its digits before the first
/// `_`), unique among `versions` seen so far.
fn version_of(
    name: &str,
    versions: &[(String, String)],
    bad: &dyn Fn(String, &str) -> syn::Error,
) -> syn::Result<String> {
    let Some((version, _)) = name.split_once('_') else {
        return Err(bad(
            format!("migration directory `{name}` has no `_` between version and name"),
            "name it like `2024-01-31-120000_create_posts` (what `diesel migration generate` does)",
        ));
    };
    let version = version.replace('-', "");
    if version.is_empty() || !version.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad(
            format!("migration directory `{name}` does not start with a numeric version"),
            "name it like `2024-01-31-120000_create_posts` (what `diesel migration generate` does)",
        ));
    }
    if let Some((_, other)) = versions.iter().find(|(v, _)| *v == version) {
        return Err(bad(
            format!("migrations `{other}` and `{name}` have the same version {version}"),
            "give one of them a later timestamp (rename its directory); versions must be unique",
        ));
    }
    Ok(version)
}

/// One `Migration`: its `up.sql`, `down.sql` and `metadata.toml` embedded.
fn migration(
    path: &Path,
    name: &str,
    version: &str,
    bad: &dyn Fn(String, &str) -> syn::Error,
) -> syn::Result<TokenStream> {
    let up = path.join("up.sql");
    if !up.is_file() {
        return Err(bad(
            format!("migration `{name}` has no `up.sql`"),
            "add `up.sql` with the migration's SQL, or delete the directory",
        ));
    }
    let up = up.display().to_string();
    let down = path.join("down.sql");
    let down = if down.is_file() {
        let down = down.display().to_string();
        quote!(::core::option::Option::Some(::core::include_str!(#down)))
    } else {
        quote!(::core::option::Option::None)
    };
    let metadata = path.join("metadata.toml");
    let run_in_transaction = if metadata.is_file() {
        read_metadata(&metadata).map_err(|err| {
            bad(
                format!("migration `{name}` has an invalid metadata.toml: {err}"),
                "metadata.toml may only hold `run_in_transaction = true` or `run_in_transaction = false`",
            )
        })?
    } else {
        true
    };
    let track = if metadata.is_file() {
        let metadata = metadata.display().to_string();
        quote!(
            const _: &str = ::core::include_str!(#metadata);
        )
    } else {
        quote!()
    };
    Ok(quote! {
        ::fastapp_core::migrate::Migration {
            name: #name,
            version: #version,
            up: { #track ::core::include_str!(#up) },
            down: #down,
            run_in_transaction: #run_in_transaction,
        }
    })
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Diesel reads `metadata.toml` leniently (an invalid file is ignored, an
/// empty one means no transaction); fastapp keeps diesel's meaning but
/// rejects what diesel would silently ignore.
fn read_metadata(path: &Path) -> Result<bool, String> {
    let text = std::fs::read_to_string(path).map_err(|err| err.to_string())?;
    let table: toml::Table = toml::from_str(&text).map_err(|err| err.to_string())?;
    let mut run_in_transaction = false;
    for (key, value) in &table {
        match (key.as_str(), value.as_bool()) {
            ("run_in_transaction", Some(b)) => run_in_transaction = b,
            ("run_in_transaction", None) => return Err("`run_in_transaction` must be a boolean".into()),
            (other, _) => return Err(format!("unknown key `{other}`")),
        }
    }
    Ok(run_in_transaction)
}
