//! Compile-time rules and how their messages read.
//!
//! Every message has the same four parts: what is wrong (with the rule id),
//! where (file:line), which rule, and how to fix it. The ids are stable and
//! listed in the README; `fastapp_core::check` uses the same style at run time.

use proc_macro2::Span;

/// A compile-time rule.
#[derive(Clone, Copy)]
pub enum Rule {
    /// An internal app references an external app crate.
    InternalUsesExternal,
    /// An app declares a `table!` of its own instead of using the shared schema.
    OwnTable,
    /// A model's table path is outside the owning crate's schema module.
    ModelTableOutsideSchema,
    /// A model's table is not declared by the schema.
    ModelTableUnknown,
    /// An external app listed in `fastapp.toml` is not a dependency of the
    /// project's link package.
    ListedAppNotDependency,
    /// An external app is a dependency of the project package itself.
    ExternalInProject,
    /// External apps are listed but the project has no link package.
    NoLinkPackage,
    /// An internal app makes a module other than `api` visible outside it.
    PublicInternals,
    /// A path into another internal app's private part (not its `api`).
    PrivatePart,
    /// A use of an internal app that `[app.<name>] uses` does not declare.
    UndeclaredUse,
    /// An app name is not `[a-z][a-z0-9_]*` or cannot be derived.
    InvalidAppName,
    /// A migrations directory or file is malformed.
    BadMigration,
    /// The project configuration cannot be read.
    Config,
    /// An app uses `fastapp_core::__private`.
    PrivateApi,
    /// Core (the project outside `src/apps/` and the entry point) references
    /// an external app crate.
    CoreUsesExternal,
    /// An app's `register` function has the wrong signature.
    RegisterSignature,
}

impl Rule {
    pub fn id(self) -> &'static str {
        match self {
            Rule::InternalUsesExternal => "isolation.E001",
            Rule::OwnTable => "isolation.E002",
            Rule::ModelTableOutsideSchema => "model.E003",
            Rule::ModelTableUnknown => "model.E004",
            Rule::ListedAppNotDependency => "link.E005",
            Rule::ExternalInProject => "link.E026",
            Rule::NoLinkPackage => "link.E027",
            Rule::PublicInternals => "app.E028",
            Rule::PrivatePart => "isolation.E029",
            Rule::UndeclaredUse => "isolation.E031",
            Rule::InvalidAppName => "app.E006",
            Rule::BadMigration => "migration.E007",
            Rule::Config => "config.E000",
            Rule::PrivateApi => "isolation.E008",
            Rule::CoreUsesExternal => "isolation.E037",
            Rule::RegisterSignature => "app.E009",
        }
    }
}

/// One diagnostic, rendered as a multi-line `compile_error!`.
pub struct Diagnostic {
    pub rule: Rule,
    pub what: String,
    pub location: Option<String>,
    pub why: String,
    pub fix: String,
}

impl Diagnostic {
    /// The message, rendered as every finding is (`fastapp_config::Finding`).
    pub fn render(&self) -> String {
        let mut finding = fastapp_config::Finding::new(self.rule.id(), self.what.as_str(), self.fix.as_str());
        if let Some(location) = &self.location {
            finding = finding.location(location);
        }
        if !self.why.is_empty() {
            finding = finding.rule(self.why.as_str());
        }
        finding.to_string()
    }

    pub fn into_error(self, span: Span) -> syn::Error {
        syn::Error::new(span, self.render())
    }
}

/// Combines many errors into one, or `Ok` when there are none.
pub fn combine(errors: Vec<syn::Error>) -> syn::Result<()> {
    let mut iter = errors.into_iter();
    let Some(mut first) = iter.next() else {
        return Ok(());
    };
    for err in iter {
        first.combine(err);
    }
    Err(first)
}

/// `config.E000`: a file fastapp reads at compile time is missing or
/// unreadable (a user mistake that belongs to no app rule).
pub fn config(what: String, fix: &str) -> Diagnostic {
    Diagnostic {
        rule: Rule::Config,
        what,
        location: None,
        why: "fastapp reads the project's fastapp.toml and diesel.toml, and each external app's Cargo.toml, at compile time".into(),
        fix: fix.into(),
    }
}

/// [`config`] as the error at `span`.
pub fn config_error(span: Span, what: String, fix: &str) -> syn::Error {
    config(what, fix).into_error(span)
}

/// `isolation.E008`: an app reaches into fastapp's generated-code internals.
pub fn private_api(app: &str, location: String) -> Diagnostic {
    Diagnostic {
        rule: Rule::PrivateApi,
        what: format!("app `{app}` uses `fastapp_core::__private`, which is not fastapp's public API"),
        location: Some(location),
        why: "apps use fastapp's public API only; `__private` exists for the code fastapp's macros generate and changes without notice".into(),
        fix: "use the public items of `fastapp_core` (AppContext, AppState, Router, registry, …) instead".into(),
    }
}
