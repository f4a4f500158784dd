//! `#[model(table = posts)]`: parse → check the table against the owning
//! crate's schema module → expand to diesel derives and a registry entry.

use std::path::{Path, PathBuf};

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};

use crate::diag::{Diagnostic, Rule};
use crate::schema::Schema;

struct ModelArgs {
    table: syn::Path,
}

impl ModelArgs {
    fn parse(args: TokenStream) -> syn::Result<ModelArgs> {
        let mut table = None;
        let parser = syn::meta::parser(|meta| {
            if meta.path.is_ident("table") {
                table = Some(meta.value()?.parse::<syn::Path>()?);
                Ok(())
            } else {
                Err(meta.error("unknown argument; expected `table = <table>`"))
            }
        });
        syn::parse::Parser::parse2(parser, args)?;
        let table = table.ok_or_else(|| {
            crate::diag::Diagnostic {
                rule: crate::diag::Rule::ModelTableOutsideSchema,
                what: "#[model] needs the table it maps".into(),
                location: None,
                why: String::new(),
                fix: "write `#[model(table = posts)]`".into(),
            }
            .into_error(Span::call_site())
        })?;
        Ok(ModelArgs { table })
    }
}

pub fn expand(args: TokenStream, input: TokenStream, file: Option<PathBuf>) -> syn::Result<TokenStream> {
    let model = Model::parse(args, input, file)?;
    let checked = model.check()?;
    Ok(model.expand(checked))
}

/// A `#[model]` struct, with its crate's schema.
struct Model {
    args: ModelArgs,
    item: syn::ItemStruct,
    schema: Schema,
    /// `file:line` of the attribute, for messages.
    shown_file: String,
    /// The schema file, for messages.
    shown_schema: String,
}

/// What the checks decided: the table to expand against, and an error to
/// report beside the expansion.
struct Checked {
    table: String,
    /// A `self::`/`super::` path, left to rustc (an assertion in the expansion).
    relative: bool,
    /// An error the expansion goes on after (against the table it most
    /// likely means), so that rustc adds no errors of its own about the
    /// model's uses.
    reported: Option<syn::Error>,
}

impl Model {
    fn parse(args: TokenStream, input: TokenStream, file: Option<PathBuf>) -> syn::Result<Model> {
        let args = ModelArgs::parse(args)?;
        let item: syn::ItemStruct = syn::parse2(input)?;
        let span = Span::call_site();
        let file = file.ok_or_else(|| {
            syn::Error::new(span, "fastapp: #[model] must be used in a source file on disk")
        })?;
        let crate_root = crate_root(&file).ok_or_else(|| {
            syn::Error::new(
                span,
                "fastapp: no Cargo.toml or fastapp.toml above this file; cannot find the crate's schema",
            )
        })?;
        let schema = Schema::of_crate(&crate_root).map_err(|msg| {
            crate::diag::config_error(
                span,
                msg,
                "make diesel.toml readable, valid TOML whose `[print_schema] file` is the schema module, e.g. `src/schema.rs`",
            )
        })?;
        let shown_file = format!(
            "{}:{}",
            crate::source::display_path(&file, &crate_root),
            crate::source::call_site_line()
        );
        let shown_schema = crate::source::display_path(&schema.file, &crate_root);
        Ok(Model {
            args,
            item,
            schema,
            shown_file,
            shown_schema,
        })
    }

    fn check(&self) -> syn::Result<Checked> {
        let segments: Vec<String> = self
            .args
            .table
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        let (table, prefix) = segments.split_last().expect("a parsed path has a segment");
        // `self::`/`super::` paths depend on the module the struct is in, which
        // the macro cannot see whole (inline modules, `#[path]`): rustc checks
        // that the path names the schema's table (an assertion in the expansion).
        let relative = prefix
            .first()
            .is_some_and(|first| first == "self" || first == "super");
        let mut checked = Checked {
            table: table.clone(),
            relative,
            reported: None,
        };
        if !self.in_schema_module(prefix, relative) {
            checked.reported = Some(self.outside_schema(&segments)?);
        }
        if !self.schema.tables.contains(&checked.table) {
            let (error, meant) = self.unknown_table(&segments);
            // Expanded against the table it most likely means only when the
            // struct fits it: otherwise that table's errors would be noise too.
            let Some(meant) =
                meant.filter(|t| fits(&self.item, self.schema.columns_of(t).unwrap_or_default()))
            else {
                return Err(error);
            };
            checked.reported = Some(error);
            checked.table = meant.to_string();
        }
        Ok(checked)
    }

    /// Whether the table path is `<table>`, or ends in the schema module.
    fn in_schema_module(&self, prefix: &[String], relative: bool) -> bool {
        let schema_module = &self.schema.module;
        self.args.table.leading_colon.is_none()
            && match prefix.split_first() {
                Some((krate, module)) if krate == "crate" => module == &schema_module[..],
                _ => relative || schema_module.ends_with(prefix),
            }
    }

    /// `model.E003`: returned to report beside the expansion when the struct
    /// fits the table of that name, else as the error alone.
    fn outside_schema(&self, segments: &[String]) -> syn::Result<syn::Error> {
        let table = segments.last().expect("a parsed path has a segment");
        let path = segments.join("::");
        let (item, shown_file, shown_schema) = (&self.item, &self.shown_file, &self.shown_schema);
        let error = Diagnostic {
            rule: Rule::ModelTableOutsideSchema,
            what: format!("model `{}` maps table `{path}`, which is outside the crate's schema module `{}`", item.ident, self.schema.module_display()),
            location: Some(format!("{shown_file}: `#[model(table = {path})]`")),
            why: format!("a model's table belongs to the schema module of the crate that owns it ({shown_schema}, from diesel.toml); apps never map another crate's tables"),
            fix: format!("write `#[model(table = {table})]`; if the table belongs to another app, use that app's public API instead"),
        }
        .into_error(syn::spanned::Spanned::span(&self.args.table));
        match self.schema.columns_of(table) {
            Some(columns) if fits(item, columns) => Ok(error),
            _ => Err(error),
        }
    }

    /// `model.E004`, with the table it most likely means.
    fn unknown_table(&self, segments: &[String]) -> (syn::Error, Option<&str>) {
        let table = segments.last().expect("a parsed path has a segment");
        let schema = &self.schema;
        let meant = did_you_mean(table, &schema.tables);
        let hint = meant.map(|t| format!("did you mean `{t}`? ")).unwrap_or_default();
        let declared = if schema.tables.is_empty() {
            "none".to_string()
        } else {
            schema
                .tables
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let shown_schema = &self.shown_schema;
        let error = Diagnostic {
            rule: Rule::ModelTableUnknown,
            what: format!("model `{}` maps table `{table}`, which {shown_schema} does not declare", self.item.ident),
            location: Some(format!("{}: `#[model(table = {})]`", self.shown_file, segments.join("::"))),
            why: format!("a model maps a table of its crate's schema module `{}` (declared: {declared})", schema.module_display()),
            fix: format!("{hint}or create the table with a migration and run `diesel migration run` to regenerate {shown_schema}"),
        }
        .into_error(syn::spanned::Spanned::span(&self.args.table));
        (error, meant)
    }

    fn expand(&self, checked: Checked) -> TokenStream {
        let item = &self.item;
        let table = checked.table.as_str();
        let table_ident = format_ident!("{}", table);
        let module: Vec<_> = self
            .schema
            .module
            .iter()
            .map(|m| format_ident!("{}", m))
            .collect();
        // `r#type` names the struct `type`: a static may be `__FASTAPP_MODEL_TYPE`.
        let type_name = syn::ext::IdentExt::unraw(&item.ident).to_string();
        let static_ident = format_ident!("__FASTAPP_MODEL_{}", type_name.to_uppercase());
        let schema_file = self.schema.file.display().to_string();
        let fields = model_columns(item);
        let columns = columns_const(item, fields.as_deref(), &module, &table_ident);
        let column_names = fields.iter().flatten().map(
            |column| quote!(<crate #(:: #module)* :: #table_ident :: #column as ::diesel::Column>::NAME),
        );
        let same_table = (checked.relative && checked.reported.is_none()).then(|| {
            let written = &self.args.table;
            quote! {
                const _: fn() = || {
                    let _: crate #(:: #module)* :: #table_ident::table = #written::table;
                };
            }
        });
        let reported = checked.reported.map(|error| error.to_compile_error());
        quote! {
            #reported
            #same_table

            #[derive(::diesel::Queryable, ::diesel::Selectable, ::diesel::Insertable)]
            #[diesel(table_name = crate #(:: #module)* :: #table_ident)]
            #item

            #[doc(hidden)]
            #[::fastapp_core::__private::linkme::distributed_slice(::fastapp_core::__private::MODELS)]
            #[linkme(crate = ::fastapp_core::__private::linkme)]
            static #static_ident: ::fastapp_core::registry::ModelEntry = ::fastapp_core::registry::ModelEntry {
                table: #table,
                columns: &[ #(#column_names),* ],
                type_name: #type_name,
                module_path: ::core::module_path!(),
                crate_name: ::core::env!("CARGO_CRATE_NAME"),
                location: ::fastapp_core::registry::Location { file: ::core::file!(), line: ::core::line!() },
            };

            #columns

            const _: &[u8] = ::core::include_bytes!(#schema_file);
        }
    }
}

/// `impl Model { pub const COLUMNS: (table::a, table::b, …) = …; }`: the
/// model's own columns in field order, to `select` or `returning` through
/// any backend. Unlike `table::all_columns`, a column added to the table
/// later (a nullable one, say) does not break code that returns this model.
/// Models that `embed` others or select expressions get none.
fn columns_const(
    item: &syn::ItemStruct,
    fields: Option<&[proc_macro2::Ident]>,
    module: &[proc_macro2::Ident],
    table: &proc_macro2::Ident,
) -> TokenStream {
    let Some(fields) = fields else {
        return TokenStream::new();
    };
    let columns: Vec<_> = fields
        .iter()
        .map(|column| quote!(crate #(:: #module)* :: #table :: #column))
        .collect();
    let ident = &item.ident;
    let (impl_generics, ty_generics, where_clause) = item.generics.split_for_impl();
    let doc = format!(
        "The columns of `{ident}`, in field order: `.returning({ident}::COLUMNS)` or `.select({ident}::COLUMNS)` \
         (written by `#[fastapp_core::model]`)."
    );
    quote! {
        impl #impl_generics #ident #ty_generics #where_clause {
            #[doc = #doc]
            #[allow(dead_code)]
            pub const COLUMNS: ( #(#columns,)* ) = ( #(#columns,)* );
        }
    }
}

/// The model's columns (the `table!` names) in field order: a field's name
/// or its `#[diesel(column_name = …)]`; `None` for a tuple struct or when a
/// field `embed`s another model or selects an expression.
fn model_columns(item: &syn::ItemStruct) -> Option<Vec<proc_macro2::Ident>> {
    let syn::Fields::Named(fields) = &item.fields else {
        return None;
    };
    let mut columns = Vec::new();
    for field in &fields.named {
        let mut column = field.ident.clone().expect("named fields have names");
        for attr in field.attrs.iter().filter(|a| a.path().is_ident("diesel")) {
            let mut unsupported = false;
            let _ = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("column_name") {
                    column = meta.value()?.parse()?;
                } else if meta.path.is_ident("embed") || meta.path.is_ident("select_expression") {
                    unsupported = true;
                } else if let Ok(value) = meta.value() {
                    value.parse::<syn::Expr>()?;
                }
                Ok(())
            });
            if unsupported {
                return None;
            }
        }
        columns.push(column);
    }
    Some(columns)
}

/// Whether each field of the struct names a column of `columns` whose SQL
/// type its Rust type can hold, as far as the common types tell (a type
/// neither side knows is taken to fit).
fn fits(item: &syn::ItemStruct, columns: &[(String, String)]) -> bool {
    let (Some(names), syn::Fields::Named(fields)) = (model_columns(item), &item.fields) else {
        return false;
    };
    names.iter().zip(&fields.named).all(|(name, field)| {
        columns
            .iter()
            .find(|(column, _)| name == column)
            .is_some_and(|(_, sql)| holds(&field.ty, sql))
    })
}

/// Whether Rust type `ty` holds SQL type `sql` (`Nullable<Text>`,
/// `Integer`, …), for the types both sides commonly use.
fn holds(ty: &syn::Type, sql: &str) -> bool {
    let last = |ty: &syn::Type| match ty {
        syn::Type::Path(path) => path.path.segments.last().cloned(),
        _ => None,
    };
    let Some(segment) = last(ty) else {
        return true;
    };
    let sql_name = sql.rsplit("::").next().unwrap_or(sql);
    if let Some(inner) = sql_name
        .strip_prefix("Nullable<")
        .and_then(|s| s.strip_suffix('>'))
    {
        let syn::PathArguments::AngleBracketed(args) = &segment.arguments else {
            return segment.ident != "String" && !is_primitive(&segment.ident.to_string());
        };
        return match (segment.ident == "Option", args.args.first()) {
            (true, Some(syn::GenericArgument::Type(inner_ty))) => holds(inner_ty, inner),
            _ => true,
        };
    }
    let rust = segment.ident.to_string();
    if rust == "Option" {
        return false;
    }
    let wanted: &[&str] = match sql_name {
        "Text" | "Varchar" | "VarChar" => &["String"],
        "Integer" | "Int4" => &["i32"],
        "BigInt" | "Int8" => &["i64"],
        "SmallInt" | "Int2" => &["i16"],
        "Bool" => &["bool"],
        "Double" | "Float8" => &["f64"],
        "Float" | "Float4" => &["f32"],
        _ => return !is_primitive(&rust) || rust == "String",
    };
    wanted.contains(&rust.as_str()) || !(is_primitive(&rust) || rust == "String")
}

fn is_primitive(rust: &str) -> bool {
    matches!(rust, "i16" | "i32" | "i64" | "f32" | "f64" | "bool")
}

/// The nearest directory above `file` with a `Cargo.toml` or `fastapp.toml`.
fn crate_root(file: &Path) -> Option<PathBuf> {
    file.ancestors()
        .skip(1)
        .find(|dir| dir.join("Cargo.toml").is_file() || dir.join("fastapp.toml").is_file())
        .map(Path::to_path_buf)
}

/// The declared table closest to `name`, if any is close.
fn did_you_mean<'a>(name: &str, tables: &'a [String]) -> Option<&'a str> {
    tables
        .iter()
        .map(|t| (strsim::levenshtein(name, t), t))
        .filter(|(distance, t)| *distance <= (name.len().max(t.len()) / 3).max(2))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, t)| t.as_str())
}
