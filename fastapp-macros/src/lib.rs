//! Compile-time half of [fastapp](https://docs.rs/fastapp-core).
//!
//! Use these macros through `fastapp_core`, which re-exports them; this crate
//! has no run-time code. Every macro follows the same shape: **parse** its
//! arguments and input, **check** them against the project's files
//! (`fastapp.toml`, the app's module tree, the schema), and **expand** to
//! registry entries that `fastapp_core` collects at link time.
//!
//! Diagnostics carry a stable rule id (`[isolation.E001]`, …), the file and
//! line at fault, the rule, and the fix; see the README for the list.

#![allow(clippy::needless_doctest_main)]

extern crate proc_macro;

mod app;
mod boundary;
mod diag;
mod external_app;
mod internal_app;
mod link;
mod migrations;
mod model;
mod project;
mod scan;
mod schema;
mod source;

use proc_macro::TokenStream;

/// Registers an internal app's `register` function and enforces the app's
/// boundaries. See `fastapp_core::internal_app` for the documentation.
#[proc_macro_attribute]
pub fn internal_app(args: TokenStream, input: TokenStream) -> TokenStream {
    let file = source::call_site_file();
    let item = proc_macro2::TokenStream::from(input.clone());
    keep_item_on_error(item, internal_app::expand(args.into(), input.into(), file))
}

/// Registers an external app crate's `register` function with its embedded
/// migrations. See `fastapp_core::external_app` for the documentation.
#[proc_macro_attribute]
pub fn external_app(args: TokenStream, input: TokenStream) -> TokenStream {
    let file = source::call_site_file();
    let item = proc_macro2::TokenStream::from(input.clone());
    keep_item_on_error(item, external_app::expand(args.into(), input.into(), file))
}

/// Derives diesel's load/insert traits for a struct whose table lives in the
/// owning crate's schema module. See `fastapp_core::model`.
#[proc_macro_attribute]
pub fn model(args: TokenStream, input: TokenStream) -> TokenStream {
    let file = source::call_site_file();
    let item = proc_macro2::TokenStream::from(input.clone());
    keep_item_on_error(item, model::expand(args.into(), input.into(), file))
}

/// The project's entry point: links every external app listed in
/// `fastapp.toml` and bakes the config and shared migrations into the binary.
/// See `fastapp_core::project`.
#[proc_macro]
pub fn project(input: TokenStream) -> TokenStream {
    let file = source::call_site_file();
    project::expand(input.into(), file)
        .unwrap_or_else(|err| {
            // The error, and a stand-in `PROJECT` that keeps rustc quiet.
            let mut tokens = err.into_compile_error();
            tokens.extend(project::placeholder());
            tokens
        })
        .into()
}

/// The body of a project's link package: links every external app listed
/// in `fastapp.toml`. See `fastapp_core::link`.
#[proc_macro]
pub fn link(input: TokenStream) -> TokenStream {
    let file = source::call_site_file();
    link::expand(input.into(), file)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// The expansion, or on error the item unchanged plus the error, so that
/// code using the item reports nothing further.
fn keep_item_on_error(
    item: proc_macro2::TokenStream,
    result: syn::Result<proc_macro2::TokenStream>,
) -> TokenStream {
    match result {
        Ok(tokens) => tokens.into(),
        Err(err) => {
            let err = err.into_compile_error();
            quote::quote!(#item #err).into()
        }
    }
}
