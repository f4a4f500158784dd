//! `#[internal_app]`: parse → check (the app's whole module tree and its
//! boundaries with other apps) → expand.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proc_macro2::{Span, TokenStream};

use crate::app::{self, AppArgs, Entry};
use crate::boundary;
use crate::diag::{self, Diagnostic, Rule};
use crate::scan::{self, Finding, FindingKind, ScanInput};
use crate::source::Project;

pub fn expand(args: TokenStream, input: TokenStream, file: Option<PathBuf>) -> syn::Result<TokenStream> {
    // Parse.
    let args = AppArgs::parse(args, false)?;
    let in_item = crate::source::token_spans(input.clone());
    let func: syn::ItemFn = syn::parse2(input)?;
    app::check_register(&func)?;
    let span = Span::call_site();
    let file = file.ok_or_else(|| {
        syn::Error::new(
            span,
            "fastapp: #[internal_app] must be used in a source file on disk",
        )
    })?;
    let project = match Project::find(Some(&file)) {
        Ok(project) => project,
        // A fastapp.toml that cannot be read or parsed is the project's
        // error, reported once by its project!(): the function as written.
        Err(_) if Project::root_of(Some(&file)).is_some() => return Ok(quote::quote!(#func)),
        Err(msg) => return Err(syn::Error::new(span, msg)),
    };
    let module_path = module_path(&project.root, &file);
    if let Some(name) = &args.name {
        return Err(syn::Error::new(
            name.span(),
            "an internal app is named by its directory (src/apps/<name>/)\n  = fix: remove `name = ...`, or rename the directory",
        ));
    }
    let name = module_path.last().cloned().unwrap_or_default();
    app::check_name(
        &name,
        span,
        &format!("the directory of {}", project.display(&file)),
    )?;

    // Check.
    let (scan, owners) = scan_app(&project, &name, &file, module_path, span)?;
    let rules = Rules {
        project: &project,
        app: &name,
        root: &file,
        owners: &owners,
        own_tables: &scan.own_tables,
    };
    let errors = scan
        .findings
        .iter()
        .filter_map(|finding| {
            let diagnostic = rules.diagnostic(finding)?;
            // On the offending token when it is inside the annotated item;
            // elsewhere on the attribute, with the file:line:col above.
            let at = (finding.file == file)
                .then(|| in_item.get(&(finding.line, finding.column - 1)).copied())
                .flatten()
                .unwrap_or(span);
            Some(diagnostic.into_error(at))
        })
        .collect();
    if let Err(err) = diag::combine(errors) {
        // Keep the function so the rest of the app type-checks quietly.
        let errors = err.into_compile_error();
        return Ok(quote::quote!(#func #errors));
    }

    // Expand.
    let mut tracked = vec![project.config_path.display().to_string()];
    tracked.extend(scan.files.iter().skip(1).map(|f| f.display().to_string()));
    Ok(Entry {
        name: &name,
        external: false,
        prefix: args.prefix.map(|p| p.value()),
        func: &func,
        depends_on: scan.depends_on.into_iter().collect(),
        migrations: quote::quote!(&[]),
        tracked,
    }
    .expand())
}

/// The app's whole module tree scanned, and who owns the tables it uses
/// that are not its own (a table another app's model owns makes that app
/// a dependency).
fn scan_app(
    project: &Project,
    name: &str,
    file: &Path,
    module_path: Vec<String>,
    span: Span,
) -> syn::Result<(scan::ScanOutput, BTreeMap<String, String>)> {
    let external = project.external_names();
    let input = ScanInput {
        app: name,
        external: &external,
        forbid_private_api: true,
        app_boundary: true,
        schema_module: crate::schema::Schema::module_of_crate(&project.root),
    };
    let mut scan = scan::scan(&input, file, module_path).map_err(|msg| syn::Error::new(span, msg))?;
    let foreign_tables = scan
        .findings
        .iter()
        .any(|f| matches!(&f.kind, FindingKind::Table { table } if !scan.own_tables.contains(table)));
    let owners = if foreign_tables {
        boundary::table_owners(project, name)
    } else {
        Default::default()
    };
    for finding in &scan.findings {
        if let FindingKind::Table { table } = &finding.kind {
            if let Some(owner) = owners.get(table).filter(|_| !scan.own_tables.contains(table)) {
                scan.depends_on.insert(owner.clone());
            }
        }
    }
    Ok((scan, owners))
}

/// What the findings of one app's scan are judged against.
struct Rules<'a> {
    project: &'a Project,
    app: &'a str,
    /// The app's root file.
    root: &'a Path,
    /// Table → the other internal app whose model owns it.
    owners: &'a BTreeMap<String, String>,
    /// Tables of the app's own models.
    own_tables: &'a BTreeSet<String>,
}

impl Rules<'_> {
    /// The rule `finding` breaks, if any.
    fn diagnostic(&self, finding: &Finding) -> Option<Diagnostic> {
        let (project, name) = (self.project, self.app);
        let location = format!(
            "{}:{}:{}: `{}`",
            project.display(&finding.file),
            finding.line,
            finding.column,
            finding.snippet
        );
        let declares = |other: &str| {
            project
                .config
                .uses_of(name)
                .is_none_or(|uses| uses.apps.iter().any(|a| a == other))
        };
        Some(match &finding.kind {
            FindingKind::External { krate } => Diagnostic {
                rule: Rule::InternalUsesExternal,
                what: format!("internal app `{name}` uses external app `{krate}`"),
                location: Some(location),
                why: format!(
                    "internal apps may use core and other internal apps, never an external app (`{krate}` is listed as an external app in {})",
                    project.display(&project.config_path)
                ),
                fix: format!(
                    "remove this reference to `{krate}`: move the code that needs both apps into core or into `{krate}` itself, or share data through core's models instead"
                ),
            },
            FindingKind::PrivateApi => crate::diag::private_api(name, location),
            FindingKind::OwnTable => Diagnostic {
                rule: Rule::OwnTable,
                what: format!("internal app `{name}` declares its own `table!`"),
                location: Some(location),
                why: "tables of core and internal apps live in the shared schema module written by the diesel CLI".into(),
                fix: "delete this `table!`; add a migration for the table (`diesel migration generate`), run it, and let `diesel migration run` write the table into the shared schema".into(),
            },
            FindingKind::PublicModule { module } => {
                boundary::public_module(project, name, module, location, self.root)
            }
            FindingKind::AppPath { app, part } => match part {
                Some(part) if part != "api" => boundary::private_part(project, name, app, part, location),
                _ if !declares(app) => boundary::undeclared(project, name, app, None, location),
                _ => return None,
            },
            FindingKind::Table { table } => {
                let owner = self.owners.get(table).filter(|_| !self.own_tables.contains(table))?;
                if declares(owner) {
                    return None;
                }
                boundary::undeclared(project, name, owner, Some(table), location)
            }
        })
    }
}

/// Module path of an app file from its place under `<root>/src/`:
/// `src/apps/blog/mod.rs` → `["apps", "blog"]`.
fn module_path(root: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(root.join("src")).unwrap_or(file);
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.pop() {
        let stem = last.strip_suffix(".rs").unwrap_or(&last);
        if stem != "mod" && stem != "lib" && stem != "main" {
            parts.push(stem.to_string());
        }
    }
    parts
}
